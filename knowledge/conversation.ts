import type { EntityType, OwnerFacts, Sector, Want } from './owner-facts.ts';
import type { KnowledgeEntry } from './schema.ts';

/** What a question asks about a subject. */
export type Aspect = 'amount' | 'eligibility' | 'deadline' | 'dossier' | 'how' | 'contact' | 'counterpart' | 'what';

/** The subject of an answer: what it is about, beyond its aspect. */
export interface Subject {
  want?: Want;
  entity?: EntityType;
  sector?: Sector;
  craftVillage?: boolean;
}

/**
 * What the conversation remembers between turns, as plain serialisable data: the topic of the
 * last answer and what it was about, and every fact the owner gave.
 */
export interface ConversationMemo {
  /** Id of the last entry answered. */
  topic?: string;
  aspect?: Aspect;
  subject?: Subject;
  /** The last reply judged the owner's own case. */
  situation?: boolean;
  /** The other programme the last reply was about ("ocop là gì" … "thế nó khác khuyến công chỗ nào"). */
  programme?: string;
  facts: OwnerFacts;
}

// Order matters: the first cue found is the aspect of a short follow-up.
const ASPECT_CUES: [Aspect, RegExp][] = [
  ['counterpart', /\b(phan con lai|von doi ung|tu bo ra|con lai ai tra)\b/],
  ['deadline', /\b(han|khi nao|bao gio|ngay nao|deadline|thoi han|con kip|het han|nam nay|nam sau)\b/],
  [
    'how',
    /\b(lam sao|lam the nao|bat dau tu dau|cach dang ky|(xin|nop|dang ky|tham gia|lam)( khuyen cong| ho tro| de an| ho so)? (the nao|nhu the nao|o dau|ra sao))\b/,
  ],
  ['dossier', /\b(giay to|ho so|thu tuc|can chuan bi|can nhung gi|can gi)\b/],
  ['amount', /\b(bao nhieu|phan tram|muc ho tro|toi da|duoc may|ho tro may|may tien|bn)\b/],
  ['eligibility', /\b(co duoc|duoc khong|duoc ho tro khong|du dieu kien|thuoc dien|thuoc doi tuong|xin duoc|co xin)\b/],
  ['contact', /\b(lien he|gap ai|hoi ai|o dau)\b/],
  ['what', /\b(la gi|la sao|nghia la|la cai gi)\b/],
];

/** The aspects a message asks about, most specific first ("vậy hạn khi nào" → deadline). */
export function aspectsOf(folded: string, raw: string): Aspect[] {
  // "máy hàn" is a welding machine, not a deadline.
  const text = folded.includes('may han') ? ` ${folded} `.replace(/\bmay han\b/g, ' ') : ` ${folded} `;
  const out: Aspect[] = [];
  for (const [aspect, rule] of ASPECT_CUES) if (rule.test(text)) out.push(aspect);
  if (raw.includes('%') && !out.includes('amount')) out.push('amount');
  return out;
}

const FOLLOW_UP =
  /^ ?(con|the|vay|the con|vay con|con neu|neu|cai do|cai nay|the thi|vay thi|thi)\b|\b(thi sao|thi the nao|cai do|cai nay|nhu vay|truong hop do|cai kia)\b/;

/** True when a message reads as a follow-up ("còn dây chuyền thì sao", "vậy hạn khi nào"). */
export function looksLikeFollowUp(folded: string): boolean {
  return FOLLOW_UP.test(folded);
}

const AREA_WANT: Record<string, Want> = {
  'mo-hinh-trinh-dien': 'demo',
  'may-moc-thiet-bi': 'machine',
  'moi-truong-ccn': 'environment',
  'san-pham-tieu-bieu': 'fair',
  'nguon-nhan-luc': 'training',
  'tu-van-thong-tin': 'consulting',
};
const ENTRY_SUBJECT: Record<string, Subject> = {
  'level-technology-line': { want: 'line' },
  'level-enterprise-startup': { want: 'startup' },
  'eligibility-household': { entity: 'hkd' },
  'eligibility-cooperative': { entity: 'htx' },
  'eligibility-sme': { entity: 'dnnvv' },
  'eligibility-large-enterprise': { entity: 'large' },
  'eligibility-craft-village': { craftVillage: true },
  'eligibility-mining': { sector: 'mining' },
  'eligibility-brick-kilns': { sector: 'brick-kiln' },
};
const TOPIC_ASPECT: Record<string, Aspect> = {
  'support-levels': 'amount',
  eligibility: 'eligibility',
  deadlines: 'deadline',
  procedure: 'how',
};

/** What an entry is about, for follow-ups on it. */
export function entryMemo(entry: KnowledgeEntry): Pick<ConversationMemo, 'topic' | 'aspect' | 'subject'> {
  const subject: Subject = { ...ENTRY_SUBJECT[entry.id] };
  const area = entry.tags.areas[0];
  if (!subject.want && area && AREA_WANT[area]) subject.want = AREA_WANT[area];
  const aspect =
    entry.id === 'proposal-contents'
      ? 'dossier'
      : entry.id === 'counterpart-funds'
        ? 'counterpart'
        : (TOPIC_ASPECT[entry.tags.topic] ?? 'what');
  return { topic: entry.id, aspect, subject };
}

/** The entry that says whether each type of facility is covered. */
export const ENTITY_ENTRY: Partial<Record<EntityType, string>> = {
  hkd: 'eligibility-household',
  htx: 'eligibility-cooperative',
  tht: 'eligibility-cooperative',
  lhhtx: 'eligibility-cooperative',
  dnnvv: 'eligibility-sme',
  large: 'eligibility-large-enterprise',
};
const WANT_AREA_ENTRY: Record<Want, string> = {
  machine: 'area-machinery',
  line: 'area-machinery',
  demo: 'area-demo-model',
  environment: 'area-environment',
  fair: 'area-typical-products',
  training: 'area-human-resources',
  consulting: 'area-consulting',
  startup: 'level-enterprise-startup',
};
const LEVEL_ENTRY: Partial<Record<Want, string>> = {
  machine: 'level-machinery',
  line: 'level-technology-line',
  demo: 'level-demo-model',
  startup: 'level-enterprise-startup',
};

/** The entry that answers an aspect of a subject, if one does. */
export function entryFor(aspect: Aspect, subject: Subject): string | undefined {
  switch (aspect) {
    case 'amount':
      return subject.want ? LEVEL_ENTRY[subject.want] : undefined;
    case 'eligibility':
      if (subject.entity && ENTITY_ENTRY[subject.entity]) return ENTITY_ENTRY[subject.entity];
      if (subject.sector === 'mining') return 'eligibility-mining';
      if (subject.sector === 'brick-kiln') return 'eligibility-brick-kilns';
      if (subject.craftVillage) return 'eligibility-craft-village';
      return subject.want ? WANT_AREA_ENTRY[subject.want] : undefined;
    case 'deadline':
      return 'deadline-next-cycle';
    case 'dossier':
      return 'proposal-contents';
    case 'how':
      return 'register-how';
    case 'contact':
      return 'contact-where';
    case 'counterpart':
      return 'counterpart-funds';
    case 'what':
      if (subject.want) return WANT_AREA_ENTRY[subject.want];
      return subject.entity && subject.entity !== 'unregistered' && subject.entity !== 'household'
        ? 'glossary-entities'
        : undefined;
  }
}

/** The owner's facts so far with this message's on top; a commune named drops the district note. */
export function mergeFacts(before: OwnerFacts | undefined, now: OwnerFacts): OwnerFacts {
  const merged: OwnerFacts = { ...before, ...now };
  if (now.registered && (before?.entity === 'unregistered' || before?.entity === 'household') && !now.entity)
    merged.entity = 'hkd';
  delete merged.registered;
  if (now.province && now.province !== before?.province && !now.formerProvince) delete merged.formerProvince;
  if (now.locality && !now.namedDistrict) delete merged.namedDistrict;
  return merged;
}

/** How many facts about the facility itself a message gives. */
export function factCount(f: OwnerFacts): number {
  return [f.entity, f.province, f.locality, f.want, f.sector, f.craftVillage, f.namedDistrict, f.amount].filter(
    (x) => x !== undefined,
  ).length;
}
