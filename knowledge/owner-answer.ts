import { asksFundingAgain } from './case-cues.ts';
import type { AnswerContext, Choice, KnowledgeAnswer } from './answerer.ts';
import {
  aspectsOf,
  entryFor,
  entryMemo,
  factCount,
  looksLikeFollowUp,
  mergeFacts,
  type Aspect,
  type ConversationMemo,
  type Subject,
} from './conversation.ts';
import { STOPWORDS } from './features.ts';
import type { OtherProgrammes } from './other-programmes.ts';
import { extractFacts, PRODUCT_WORDS, type OwnerFacts } from './owner-facts.ts';
import { findProvinceInWords } from './provinces.ts';
import type { KnowledgeEntry } from './schema.ts';
import { datesNamed, dueOnAny } from './deadlines.ts';
import { documentPoint } from './document-points.ts';
import { composeSituation } from './situation.ts';
import { SUPPORT_LEVELS, WANT_NAMES } from './support-levels.ts';
import { analyze, foldDiacritics, type AnalyzedText } from './vietnamese-text.ts';

/** What the understanding layer needs from the knowledge base. */
export interface Engine {
  /** Plain retrieval: answer, "Ý bạn là…" or fallback, with no conversation context. */
  retrieve(question: AnalyzedText, context: AnswerContext): KnowledgeAnswer;
  /** The composed answer of one entry: the part that fits a phone, or all of it. */
  answerEntry(id: string, context: AnswerContext, detail?: boolean): KnowledgeAnswer | undefined;
  entry(id: string): KnowledgeEntry | undefined;
  /** Buttons for entries. */
  choices(ids: readonly string[]): Choice[];
  programmes: OtherProgrammes;
  /** Every entry, for what retrieval cannot weigh (a deadline asked by its date). */
  readonly entries: readonly KnowledgeEntry[];
}

const DETAIL = /^(xem |cho xem |cho toi xem |noi )?(chi tiet|day du|ro hon|cu the)( hon)?( duoc khong| a| nhe| di)?$/;
/** Said first to an owner whose cost was funded before and who asks for it again. */
const FUNDED_AGAIN =
  'Dạ, với cùng một khoản chi (ví dụ cùng một máy) thì không: một khoản chi không được nhận hỗ trợ hai lần từ ngân sách nhà nước, kể cả khi lần trước là ngân sách tỉnh. Phần chi khác của đề án, chưa được ngân sách nào hỗ trợ, vẫn có thể được xét.';

/** "Căn cứ văn bản nào?", "theo quy định nào vậy", "nguồn ở đâu": the documents of the last answer. */
const BASIS =
  /\b(can cu( (vao|theo))?( (van ban|quy dinh|dau|gi|nao))|theo (van ban|quy dinh|thong tu|nghi dinh|cong van|luat) nao|(van ban|quy dinh|thong tu|nghi dinh) nao( quy dinh)?|nguon (o dau|nao|tu dau|gi)|co so phap ly|dua (vao|tren) (dau|van ban nao))\b/;
/** Words that may describe the owner's own case: a place, a registration status, a district. */
const OWN_CASE =
  /\b((?<!tac |vung )xa(?! hoi)|(?<!dia )phuong|dac khu|huyen|thi xa|lang nghe|chua|ca nhan|ho gia dinh|lon|tap doan|tu do|dang ky xong|giay phep|kho khan|lo gach|lo vong|khai thac)\b/;
/** "được hỗ trợ gì", "hỗ trợ những gì", "xin được những khoản nào". */
const WHAT_SUPPORT =
  /\b(ho tro|duoc|nhan|xin) (duoc )?(gi|nhung gi|cai gi|nhung khoan gi|khoan gi|khoan nao|nhung khoan nao|mang nao|nhung mang nao)\b/;
const WHAT_SUPPORT_WORDS = /\b(gi|nhung|cai|khoan|nao|mang|nhan|khong|ko|k)\b/g;
/** "khác gì", "khác nhau chỗ nào", "so sánh", "phân biệt". */
const COMPARING = /\bkhac( \w+){0,3} (nhau|gi|cho nao|o dau|the nao|ra sao)\b|\b(so sanh|phan biet|giong)\b/;
/** Words that point back at the last answer's subject: "cái đó", "cái này", "nó", "loại đó". */
const POINTING = /\b(cai do|cai nay|no|loai do|loai nay|de an do|de an nay|vu do|cai kia)\b/;
/** A retrieval this sure of a plain question is taken as it is. */
const FAST_CONFIDENCE = 0.6;
const KHUYEN_CONG = /\b(khuyen cong|cong nghiep nong thon)\b/;
// Words that carry no topic of their own in a follow-up: what is left of "còn dây chuyền thì sao"
// once these, the aspect cues and the facts are taken out is nothing, so it leans on the last answer.
const LIGHT = new Set(
  (
    'con the vay thi sao cai do nay kia neu duoc bao nhieu han khi nao gio ngay giay to ho so thu tuc can gi ho tro khuyen cong ' +
    'phan tram muc toi da xin lam truong hop nhu em minh toi anh chi ad a oi nhe a ak vay z ha tien may nam nua sau lai ra phai ' +
    'dang ky nop o dau lien he ai biet cho hoi chi tiet them con lai tra di bon chung nha xuong ' +
    // "nhà nước hỗ trợ được bao nhiêu", "muốn nâng cấp, mở rộng có được không": no topic of their own.
    'nuoc muon nang cap mo rong'
  ).split(' '),
);
const SUBJECT_WORDS =
  /\b(may moc thiet bi|may moc|thiet bi|day chuyen( cong nghe)?|mo hinh( trinh dien)?|hop tac xa|to hop tac|lien hiep|ho kinh doanh|doanh nghiep( nho va vua| lon)?|cong ty|lang nghe|dao tao( nghe)?|hoi cho|trien lam|khai thac|lo gach|xa|phuong|dac khu|gian hang|may le|mua may|may)\b/g;

/** True when, without its aspect cues, follow-up words and facts, a message says nothing. */
function isLight(folded: string): boolean {
  const words = folded.split(' ');
  // Cheap first: every word a function, cue or subject word, most messages are told apart here.
  const rest = words.filter(
    (w) => w !== '' && !LIGHT.has(w) && !STOPWORDS.has(w) && !(/^\d+$/.test(w) && !/^(19|20)\d\d$/.test(w)),
  );
  if (rest.length === 0) return true;
  if (!rest.every((w) => SUBJECT_SYLLABLES.has(w))) return false;
  // Subject and product words count only as whole phrases ("mây tre" is not "máy").
  const left = ` ${folded} `
    .replace(SUBJECT_WORDS, ' ')
    .replace(PRODUCT_WORDS, ' ')
    .split(' ')
    // A year says which plan or results a question is about; other numbers are amounts.
    .filter((w) => w !== '' && !LIGHT.has(w) && !STOPWORDS.has(w) && !(/^\d+$/.test(w) && !/^(19|20)\d\d$/.test(w)));
  return left.length === 0;
}

/** Every syllable of a subject or product phrase. */
const SUBJECT_SYLLABLES = new Set(
  [...SUBJECT_WORDS.source.matchAll(/[a-z]+/g), ...PRODUCT_WORDS.source.matchAll(/[a-z]+/g)]
    .map((m) => m[0])
    .filter((w) => w !== 'b'),
);

/** The subject a message names itself: what it wants, who asks, a sector that matters. */
function subjectOf(facts: OwnerFacts): Subject {
  return {
    ...(facts.want ? { want: facts.want } : {}),
    ...(facts.entity ? { entity: facts.entity } : {}),
    ...(facts.sector && facts.sector !== 'listed' ? { sector: facts.sector } : {}),
    ...(facts.craftVillage === 'yes' ? { craftVillage: true } : {}),
  };
}

/** The owner describes their own case: a place, an amount, a registration status with something else. */
function isSituation(f: OwnerFacts, aspects: Aspect[], memo: ConversationMemo | undefined): boolean {
  const place = f.province !== undefined || f.locality !== undefined || f.craftVillage === 'no';
  const asks = aspects.includes('amount') || aspects.includes('eligibility');
  if ((f.entity === 'unregistered' || f.entity === 'household') && (asks || f.want !== undefined || place))
    return f.entity === 'unregistered' || place || f.want !== undefined;
  if (
    f.amount !== undefined &&
    (f.want !== undefined || asks || memo?.facts.want !== undefined || memo?.subject?.want !== undefined)
  )
    return true;
  if (f.namedDistrict && (f.province !== undefined || f.entity !== undefined || f.want !== undefined)) return true;
  if (place && (f.entity !== undefined || f.want !== undefined || f.sector !== undefined || f.craftVillage === 'yes'))
    return true;
  return factCount(f) >= 3;
}

/**
 * Answers one message in its conversation: a programme that is not khuyến công, the owner's own
 * case, a follow-up on the last answer, several questions at once, or a plain question.
 */
export function understand(question: AnalyzedText, context: AnswerContext, engine: Engine): KnowledgeAnswer {
  return understandOne(question, context, engine, true);
}

function understandOne(
  question: AnalyzedText,
  context: AnswerContext,
  engine: Engine,
  allowParts: boolean,
): KnowledgeAnswer {
  const memo = context.memo;
  const folded = question.folded.join(' ');
  const aspects = aspectsOf(folded, question.normalized);
  // Most messages are plain questions: with no conversation to lean on, no amount, place or
  // registration status, no other programme and one question, a confident retrieval is the
  // answer, and the owner's facts need not be read.
  // "nộp hồ sơ ở đâu", "đăng ký thế nào": how or where, of nothing else, is how to take part.
  if (
    !memo &&
    (aspects[0] === 'how' || aspects[0] === 'contact') &&
    aspects.every((a) => a === 'how' || a === 'contact' || a === 'dossier') &&
    question.tokens.length <= 8 &&
    !/\d/.test(question.normalized) &&
    !SEPARATORS.test(question.normalized.replace(/\?+\s*$/, '')) &&
    !engine.programmes.find(folded) &&
    isLight(folded.replace(/\b(de an|ho so|giay to)\b/g, ' '))
  ) {
    const answer = engine.answerEntry(entryFor(aspects[0], {})!, context);
    if (answer?.kind === 'answer') return { ...answer, memo: { ...entryMemo(answer.entry), facts: {} } };
  }
  let retrieved: KnowledgeAnswer | undefined;
  if (
    !memo &&
    allowParts &&
    !mayHaveParts(question, aspects) &&
    !engine.programmes.mentions(folded) &&
    !OWN_CASE.test(` ${folded} `) &&
    !/\d/.test(question.normalized) &&
    !findProvinceInWords(question.folded)
  ) {
    retrieved = engine.retrieve(question, context);
    if (retrieved.kind === 'answer' && retrieved.confidence >= FAST_CONFIDENCE)
      return { ...retrieved, memo: { ...entryMemo(retrieved.entry), facts: {} } };
  }
  const facts = extractFacts(question, question.normalized);
  const merged = mergeFacts(memo?.facts, facts);
  // "htx có được hỗ trợ không" … "em ở phường Hoàn Kiếm": the entity the conversation is about.
  if (!merged.entity && memo?.subject?.entity) merged.entity = memo.subject.entity;
  // "mô hình trình diễn được bao nhiêu" … "tổng chi phí 3 tỷ 2 thì sao": the amount is for what the conversation is about.
  if (!merged.want && memo?.subject?.want) merged.want = memo.subject.want;
  const keep = (a: KnowledgeAnswer, patch: Partial<ConversationMemo> = {}): KnowledgeAnswer => ({
    ...a,
    memo: { ...memo, ...patch, facts: merged },
  });
  const situation = (f: OwnerFacts): KnowledgeAnswer => {
    const reply = composeSituation(f);
    const entry = engine.entry(reply.entryId)!;
    const aspect: Aspect = f.want && SUPPORT_LEVELS[f.want] ? 'amount' : 'eligibility';
    return {
      kind: 'answer',
      entry,
      text: reply.text,
      sources: reply.sources,
      followUps: engine.choices(entry.followUps),
      confidence: 1,
      memo: {
        topic: entry.id,
        aspect,
        subject: { ...(f.want ? { want: f.want } : {}), ...(f.entity ? { entity: f.entity } : {}) },
        situation: true,
        facts: f,
      },
    };
  };

  // "Xem chi tiết": the whole answer of the last entry.
  if (memo?.topic && DETAIL.test(folded)) {
    const answer = engine.answerEntry(memo.topic, context, true);
    if (answer) return keep(answer);
  }
  // "Tỉnh hỗ trợ cái máy rồi, xin trung ương hỗ trợ thêm được không": the rule against funding a
  // cost twice, before the words "máy" or "tỉnh" lead elsewhere.
  if (asksFundingAgain(folded)) {
    const rule = engine.answerEntry('funding-conditions', context);
    if (rule?.kind === 'answer')
      return keep({
        ...rule,
        text: `${FUNDED_AGAIN}\n\n${rule.text.replace(/^Dạ, (.)/, (_, c: string) => c.toUpperCase())}`,
        confidence: 1,
      });
  }
  // "Căn cứ văn bản nào": the sources of the last answer (the owner's case judged again gives its own).
  if (memo?.topic && asksBasisOnly(folded)) {
    const last = memo.situation ? situation(merged) : engine.answerEntry(memo.topic, context);
    if (last?.kind === 'answer' && last.sources.length > 0)
      return keep({
        ...last,
        text: basisText(last.sources),
        confidence: 1,
      });
  }

  // "hạn 30/9 phải không", "thế còn 20/6": a deadline asked by its date is the entry with that date.
  // A date in a message that asks nothing of deadlines ("thành lập 20/6/2020") is not one.
  const asksDate = aspects.includes('deadline') || looksLikeFollowUp(folded) || question.tokens.length <= 4;
  const dated = asksDate ? byDeadlineDate(question, folded, memo, engine) : undefined;
  if (dated) {
    const answer = engine.answerEntry(dated.id, context);
    if (answer?.kind === 'answer') return keep(answer, { ...entryMemo(answer.entry), situation: false });
  }

  // "công văn 400 nói gì về cụm công nghiệp": the point, not the document's summary.
  const point = documentPoint(folded, looksLikeFollowUp(folded) || !isLight(folded), context, engine);
  if (point?.kind === 'answer') return keep(point, { ...entryMemo(point.entry), situation: false });

  // "ocop là gì" … "thế nó khác khuyến công chỗ nào": the programme just named, beside khuyến công.
  const before = memo?.programme ? engine.programmes.byId(memo.programme) : undefined;
  if (before && COMPARING.test(folded) && !engine.programmes.find(folded)) {
    const part = khuyenCongPart(question, context, engine);
    return keep({ ...part, text: `${firstSentences(before.answer, 2)}\n\n${part.text}` }, { programme: before.id });
  }

  const other = engine.programmes.find(folded);
  if (other) {
    const asksKhuyenCong =
      other.kind === 'programme' && (KHUYEN_CONG.test(folded) || isSituation(facts, aspects, undefined));
    if (asksKhuyenCong && allowParts && mayHaveParts(question, aspects)) {
      const multi = answerParts(question, context, engine);
      if (multi) return multi;
    }
    if (!asksKhuyenCong) {
      return keep(
        {
          kind: 'fallback',
          reason: 'other-programme',
          programme: other.id,
          text: otherText(other.answer, other.source),
          suggestions: [],
          confidence: 1,
        },
        { programme: other.id },
      );
    }
    const part = isSituation(facts, aspects, undefined) ? situation(merged) : khuyenCongPart(question, context, engine);
    return { ...part, text: `${firstSentences(other.answer, 2)}\n\n${part.text}` };
  }

  // "mua máy 600 triệu được bao nhiêu, hạn nộp khi nào": the case and another question, each answered.
  if (allowParts && aspects.some((a) => a !== 'eligibility' && a !== 'amount') && mayHaveParts(question, aspects)) {
    const multi = answerParts(question, context, engine);
    if (multi) return multi;
  }
  if (isSituation(facts, aspects, memo)) return situation(merged);
  // The case told bit by bit ("e là htx" … "ở xã Tam Nông, Phú Thọ"): judged once it is enough,
  // unless the message asks something else ("Bình Dương giờ thuộc đâu").
  const asksOther =
    aspects.some((a) => a !== 'eligibility' && a !== 'amount') || /\b(dau|gi|nao|ai|khi nao|bao gio)\b/.test(folded);
  if (
    memo &&
    !asksOther &&
    (facts.province || facts.locality || facts.entity || facts.want) &&
    isSituation(merged, aspects, undefined)
  )
    return situation(merged);

  // "được hỗ trợ gì", "khuyến công hỗ trợ những gì": the support areas, whatever else was said before.
  // A subject named ("làng nghề … được hỗ trợ gì") is a question about that subject.
  if (
    WHAT_SUPPORT.test(` ${folded} `) &&
    isLight(folded.replace(WHAT_SUPPORT_WORDS, ' ')) &&
    !(` ${folded} `.match(SUBJECT_WORDS) ?? []).some((w) => w.trim() !== '') &&
    (folded.match(PRODUCT_WORDS) ?? []).length === 0
  ) {
    const answer = engine.answerEntry('six-support-areas', context);
    if (answer?.kind === 'answer') return keep(answer, { ...entryMemo(answer.entry), situation: false });
  }

  if (memo && (memo.topic || memo.situation)) {
    const followUp = resolveFollowUp(question, folded, facts, merged, aspects, memo, context, engine, situation);
    if (followUp) return followUp;
  }

  if (allowParts && mayHaveParts(question, aspects)) {
    const multi = answerParts(question, context, engine);
    if (multi) return multi;
  }

  // A question of a subject and an aspect only ("htx bọn em có được xin không", "máy móc được
  // bao nhiêu"): the entry for that pair, whatever words retrieval would weigh.
  const subject = subjectOf(facts);
  if (aspects.length > 0 && Object.keys(subject).length > 0 && isLight(folded)) {
    const id = entryFor(aspects[0], subject);
    const answer = id ? engine.answerEntry(id, context) : undefined;
    if (answer?.kind === 'answer') return keep(answer, { ...entryMemo(answer.entry), situation: false });
  }

  // Retrieval depends on the question alone: what the fast path found is not searched again.
  const plain = retrieved ?? engine.retrieve(question, context);
  if (plain.kind === 'answer') return keep(plain, { ...entryMemo(plain.entry), situation: false });
  // "tổ hợp tác dệt thổ cẩm có được không", "xưởng rang cà phê có được hỗ trợ không": nothing
  // retrieved, but who they are or what they make is known, and whether it is covered is asked.
  // "xưởng em ở Phú Quốc có thuộc diện không": the place is known to the commune, so it is judged.
  if (
    plain.kind === 'fallback' &&
    aspects.includes('eligibility') &&
    (facts.entity || facts.sector || (facts.locality && facts.province))
  )
    return situation(merged);
  // "trước đây tên gì" right after the agency was named: more of the last answer, if there is more.
  if (
    plain.kind === 'fallback' &&
    plain.reason === 'out-of-scope' &&
    memo?.topic &&
    question.tokens.length <= 6 &&
    QUESTION_WORD.test(` ${folded} `)
  ) {
    const whole = engine.answerEntry(memo.topic, context, true);
    const brief = engine.answerEntry(memo.topic, context);
    if (whole?.kind === 'answer' && brief && whole.text !== brief.text) return keep(whole);
  }
  if (plain.kind === 'fallback' && plain.reason === 'out-of-scope' && isLight(folded) && question.tokens.length <= 4) {
    // A bare "hỗ trợ" or "khuyến công": ask what about, rather than fall back.
    const ids = ['six-support-areas', 'eligibility-who', 'level-machinery'];
    const candidates = ids.map((id) => engine.entry(id)).filter((e): e is KnowledgeEntry => e !== undefined);
    return keep({
      kind: 'clarify',
      text: 'Dạ, anh/chị muốn hỏi nội dung nào dưới đây ạ?',
      choices: engine.choices(ids),
      candidates,
      confidence: plain.confidence,
    });
  }
  return keep(plain);
}

function resolveFollowUp(
  question: AnalyzedText,
  folded: string,
  facts: OwnerFacts,
  merged: OwnerFacts,
  aspects: Aspect[],
  memo: ConversationMemo,
  context: AnswerContext,
  engine: Engine,
  situation: (f: OwnerFacts) => KnowledgeAnswer,
): KnowledgeAnswer | undefined {
  const light = isLight(folded);
  const marker = looksLikeFollowUp(folded);
  const newFacts =
    facts.entity ??
    facts.locality ??
    facts.province ??
    facts.craftVillage ??
    facts.difficultArea ??
    facts.want ??
    facts.amount ??
    facts.registered;
  // New facts about the case that was just judged: judge it again.
  if (
    memo.situation &&
    newFacts !== undefined &&
    (light || marker || factCount(facts) >= 1) &&
    question.tokens.length <= 14
  )
    return situation(merged);
  if (memo.subject?.sector && facts.difficultArea) return situation({ ...merged, sector: memo.subject.sector });
  if (!light && !marker) return undefined;
  // "còn sản phẩm tiêu biểu thì sao": a follow-up marker before a subject of its own, which
  // retrieval knows well, is a question of its own.
  if (!light) {
    const own = engine.retrieve(question, context);
    if (own.kind === 'answer' && own.confidence >= FAST_CONFIDENCE && own.entry.id !== memo.topic) return undefined;
  }
  // "ai dc hỗ trợ kc" asked again names no aspect and no subject and does not follow up: it is a
  // question of its own.
  if (!marker && aspects.length === 0 && Object.keys(subjectOf(facts)).length === 0) return undefined;
  const aspect = aspects[0] ?? memo.aspect;
  if (!aspect) return undefined;
  // "ở phường có được không" after a province was named: judge the place.
  if (aspect === 'eligibility' && (facts.locality || facts.province) && (merged.province || merged.locality))
    return situation(merged);
  // "có được hỗ trợ không" right after the owner's case was judged: the verdict on that case.
  if (memo.situation && aspects.length > 0 && (aspect === 'eligibility' || aspect === 'amount'))
    return situation(merged);
  const subject: Subject = {
    ...(aspects[0] && aspects[0] !== memo.aspect ? {} : memo.subject),
    ...(facts.want ? { want: facts.want } : {}),
    ...(facts.entity ? { entity: facts.entity } : {}),
    ...(facts.sector && facts.sector !== 'listed' ? { sector: facts.sector } : {}),
    ...(facts.craftVillage === 'yes' ? { craftVillage: true } : {}),
  };
  if (aspect === 'amount' && subject.want === undefined && memo.subject?.want) subject.want = memo.subject.want;
  const keep = (a: KnowledgeAnswer, patch: Partial<ConversationMemo> = {}): KnowledgeAnswer => ({
    ...a,
    memo: { ...memo, ...patch, facts: merged },
  });
  if (aspect === 'amount' && subject.want && merged.amount !== undefined && SUPPORT_LEVELS[subject.want])
    return situation({ ...merged, want: subject.want });
  const id = entryFor(aspect, subject);
  if (id && id !== memo.topic) {
    const answer = engine.answerEntry(id, context);
    if (answer?.kind === 'answer') return keep(answer, { ...entryMemo(answer.entry), situation: false });
  }
  // The sources give levels for machinery, lines, demonstration models and new companies only.
  const noLevel = (lead: string): KnowledgeAnswer => {
    const entry = engine.entry('level-circulars')!;
    const text = `${lead}: Thông tư 28/2018/TT-BTC mà tôi có chỉ nêu mức cho máy móc, dây chuyền, mô hình trình diễn và thành lập doanh nghiệp. Anh/chị vui lòng hỏi Sở Công Thương hoặc Trung tâm Khuyến công tỉnh mình.\n\nNguồn: Thông tư 28/2018/TT-BTC.`;
    return keep(
      {
        kind: 'answer',
        entry,
        text,
        sources: ['Thông tư 28/2018/TT-BTC'],
        followUps: engine.choices(['level-machinery', 'level-demo-model', 'level-local']),
        confidence: 0.8,
      },
      { topic: entry.id, aspect, subject },
    );
  };
  if (aspect === 'amount' && subject.want && !SUPPORT_LEVELS[subject.want])
    return noLevel(`Dạ, mức hỗ trợ ${WANT_NAMES[subject.want]} tôi không có số liệu`);
  // "đề án điểm là gì" … "cái đó được hỗ trợ bao nhiêu": the sources give no level of its own.
  const last = memo.topic ? engine.entry(memo.topic) : undefined;
  if (
    aspect === 'amount' &&
    !subject.want &&
    last &&
    POINTING.test(` ${folded} `) &&
    !['support-levels', 'eligibility'].includes(last.tags.topic)
  )
    return noLevel(`Dạ, tôi không có mức hỗ trợ riêng cho “${last.short}”`);
  if (aspect === 'amount') {
    const ids = ['level-machinery', 'level-technology-line', 'level-demo-model'];
    return keep({
      kind: 'clarify',
      text: 'Dạ, anh/chị muốn hỏi mức hỗ trợ cho nội dung nào: máy móc thiết bị, dây chuyền công nghệ hay mô hình trình diễn ạ?',
      choices: engine.choices(ids),
      candidates: ids.map((i) => engine.entry(i)!),
      confidence: 0.5,
    });
  }
  const topic = memo.topic ? engine.entry(memo.topic) : undefined;
  if (!topic || (!marker && aspects.length === 0 && !light)) return undefined;
  // "thế hồi trước gọi là gì": words of its own that nothing answers, asked of the last topic,
  // may be in the rest of its answer.
  if (!light && QUESTION_WORD.test(` ${folded} `)) {
    const whole = engine.answerEntry(topic.id, context, true);
    const brief = engine.answerEntry(topic.id, context);
    if (
      whole?.kind === 'answer' &&
      brief &&
      whole.text !== brief.text &&
      engine.retrieve(question, context).kind !== 'answer'
    )
      return keep(whole);
  }
  // Still unresolved: ask about the topic rather than fall back.
  const ids = topic.followUps.length > 0 ? topic.followUps : ['six-support-areas', 'eligibility-who', 'register-how'];
  return keep({
    kind: 'clarify',
    text: `Dạ, anh/chị muốn hỏi thêm điều gì về "${topic.title}" ạ? Ví dụ mức hỗ trợ, điều kiện, hồ sơ hay hạn đăng ký.`,
    choices: engine.choices(ids),
    candidates: ids.map((i) => engine.entry(i)).filter((e): e is KnowledgeEntry => e !== undefined),
    confidence: 0.5,
  });
}

/** The one entry (national, or the conversation's province's) with a deadline on a date the message names. */
function byDeadlineDate(
  question: AnalyzedText,
  folded: string,
  memo: ConversationMemo | undefined,
  engine: Engine,
): KnowledgeEntry | undefined {
  if (!/\d/.test(question.normalized)) return undefined;
  const named = datesNamed(question.normalized, folded);
  if (named.length === 0) return undefined;
  const province = memo?.facts.province;
  const due = engine.entries.filter(
    (e) => (!e.province || e.province === province) && e.deadlines.some((d) => dueOnAny(d, named)),
  );
  // A province's own date stands in for the national entry it localises.
  const own = due.filter((e) => e.province);
  const pick = own.length > 0 ? own : due;
  return pick.length === 1 ? pick[0] : undefined;
}

/** The khuyến công half of a message that also names another programme. */
function khuyenCongPart(question: AnalyzedText, context: AnswerContext, engine: Engine): KnowledgeAnswer {
  // "khuyến công với OCOP khác nhau chỗ nào": what khuyến công is, beside the other programme.
  const comparing = COMPARING.test(question.folded.join(' '));
  const plain = comparing ? undefined : engine.retrieve(question, context);
  if (plain?.kind === 'answer') return { ...plain, text: briefText(plain.entry, plain.sources) };
  const entry = engine.entry('what-is-khuyen-cong')!;
  const answer = engine.answerEntry(entry.id, context)!;
  return answer.kind === 'answer' ? { ...answer, text: briefText(entry, answer.sources) } : answer;
}

/**
 * Cheap test before splitting: two aspects ("bao nhiêu" and "khi nào"), two question marks, or a
 * separator between two different subjects ("máy móc bao nhiêu, dây chuyền bao nhiêu").
 */
function mayHaveParts(question: AnalyzedText, aspects: Aspect[]): boolean {
  if (question.tokens.length < 6) return false;
  if (aspects.length >= 2 || (question.normalized.match(/\?/g)?.length ?? 0) >= 2) return true;
  if (!SEPARATORS.test(question.normalized)) return false;
  const subjects = new Set(` ${question.folded.join(' ')} `.match(SUBJECT_WORDS) ?? []);
  if (subjects.size >= 2) return true;
  // "ai thẩm định đề án, cần mấy bộ hồ sơ": two pieces that each ask something.
  if ((` ${question.folded.join(' ')} `.match(QUESTION_WORDS) ?? []).length < 2) return false;
  const asking = question.normalized
    .split(SEPARATORS)
    .filter((piece) => piece && QUESTION_WORD.test(` ${foldDiacritics(piece)} `));
  return asking.length >= 2;
}

const QUESTION_WORDS = /\b(ai|gi|nao|bao nhieu|bao gio|khi nao|o dau|the nao|sao|khong|chua|may)\b/g;
const QUESTION_WORD = /\b(ai|gi|nao|bao nhieu|bao gio|khi nao|o dau|the nao|sao|khong|chua|may)\b/;

const SEPARATORS =
  /\s*(?:[?;]+|,|\.\s)\s*|\s+(?:và|va|với|voi|còn|con|rồi|roi|nếu được thì|neu duoc thi|nếu đc thì|neu dc thi)\s+/i;

/** Several questions in one message: each part answered in turn, each leaning on the one before. */
function answerParts(question: AnalyzedText, context: AnswerContext, engine: Engine): KnowledgeAnswer | undefined {
  const raw = question.normalized;
  if (question.tokens.length < 6 || !SEPARATORS.test(raw)) return undefined;
  const pieces = raw.split(SEPARATORS).filter((p) => p && p.trim().split(/\s+/).length >= 2);
  if (pieces.length < 2 || pieces.length > 4) return undefined;
  const answers: KnowledgeAnswer[] = [];
  let memo = context.memo;
  for (const piece of pieces) {
    const analyzed = analyze(piece);
    const answer = understandOne(analyzed, { ...context, ...(memo ? { memo } : {}) }, engine, false);
    // "máy móc tối đa bao nhiêu %, và bao nhiêu tiền, hạn khi nào": a piece that only asks again
    // of the one before it ("bao nhiêu tiền") is part of that piece's answer.
    if (answer.kind === 'clarify' && answers.length > 0 && isLight(analyzed.folded.join(' '))) continue;
    if (answer.kind === 'clarify') return undefined;
    if (answer.kind === 'fallback' && answer.reason !== 'other-programme') return undefined;
    answers.push(answer);
    memo = answer.memo ?? memo;
  }
  // The case told over several pieces ("xưởng em ở Bến Tre làm kẹo dừa, mua máy 600 triệu…") is judged
  // once, in the last piece that judged it: it holds every fact the pieces before it gave.
  let lastCase = -1;
  answers.forEach((a, i) => {
    if (a.memo?.situation === true) lastCase = i;
  });
  if (lastCase > 0) answers.splice(0, answers.length, ...answers.filter((a, i) => i >= lastCase || !a.memo?.situation));
  const ids = answers.map((a) => (a.kind === 'answer' ? a.entry.id : a.kind === 'fallback' ? a.programme : undefined));
  if (new Set(ids).size < 2) return undefined;
  const first = answers.find((a) => a.kind === 'answer');
  if (!first || first.kind !== 'answer') return undefined;
  const texts = answers.map((a, i) => {
    const deadlines = a.kind === 'answer' ? a.text.split('\n').filter((l) => l.startsWith('⏰')) : [];
    const body =
      a.kind === 'answer'
        ? a.memo?.situation
          ? a.text.split(/\n+Nguồn:/)[0]
          : [briefText(a.entry, [], deadlines.length > 0 ? 160 : 260), ...deadlines].join('\n')
        : firstSentences(a.text, 2);
    return i === 0 ? body : body.replace(/^Dạ, /, '').replace(/^./, (c) => c.toUpperCase());
  });
  // Two pieces that lead to the same reply ("…chưa đăng ký kinh doanh…, muốn mua máy") say it once.
  const unique = texts.filter(
    (t, i) =>
      texts.findIndex((u) => u.replace(/^Dạ, /, '').toLowerCase() === t.replace(/^Dạ, /, '').toLowerCase()) === i,
  );
  texts.splice(0, texts.length, ...unique);
  const sources = [...new Set(answers.flatMap((a) => (a.kind === 'answer' ? a.sources : [])))];
  const followUps = first.followUps;
  const source = sources.length > 0 ? `\n\nNguồn: ${sources.join('; ')}.` : '';
  return {
    ...first,
    text: `${texts.join('\n')}${source}`,
    followUps,
    memo: {
      ...(first.memo ?? { facts: {} }),
      facts: mergeFacts(
        context.memo?.facts,
        answers.reduce<OwnerFacts>((f, a) => ({ ...f, ...a.memo?.facts }), {}),
      ),
    },
  };
}

/** The start of an entry's answer that fits a phone: whole lines while they fit, else sentences. */
export function briefText(entry: KnowledgeEntry, sources: readonly string[], budget = 260): string {
  const lines = entry.answer.trim().split('\n');
  let out = '';
  for (const [i, line] of lines.entries()) {
    // A list is the answer its header announces: it may run longer, and is marked when cut.
    const listItem = /^(•|\d+\.)/.test(line);
    if (out === '') {
      out = line.length <= budget ? line : firstSentencesWithin(line, budget);
    } else if (out.length + line.length + 1 <= (listItem ? budget + 160 : budget)) {
      out += `\n${line}`;
    } else {
      if (listItem || /^(•|\d+\.)/.test(lines[i - 1] ?? '')) out += '\n…';
      break;
    }
  }
  return sources.length > 0 ? `${out}\n\nNguồn: ${sources.join('; ')}.` : out;
}

/** Words around "căn cứ văn bản nào" that ask nothing more ("cái này theo văn bản nào vậy ạ"). */
const BASIS_FILLER =
  /\b(cai (nay|do|tren)|dieu (nay|do)|muc (nay|do)|cau tra loi|tra loi|vua roi|vay|a|ha|nhe|the|thi|do|nay|cho (em|toi|minh) hoi|(em|toi|minh) hoi|la|o|duoc|khong|anh|chi|ban|oi)\b/g;

/** The message asks only on what the last answer rests, about nothing new. */
function asksBasisOnly(folded: string): boolean {
  if (!BASIS.test(folded)) return false;
  return folded.replace(BASIS, ' ').replace(BASIS_FILLER, ' ').trim() === '';
}

/** The start of the answer to "căn cứ văn bản nào", for those who compose it again (officers). */
export const BASIS_LEAD = 'Dạ, câu trả lời vừa rồi căn cứ vào:';

/** "Căn cứ văn bản nào": the documents of the last answer, one a line. */
export function basisText(sources: readonly string[]): string {
  return `${BASIS_LEAD}\n${sources.map((s) => `• ${s}`).join('\n')}`;
}

/**
 * The sentences of a text: a stop followed by a space ends one, so "1.000 triệu" and "Điều 5." stay
 * whole and nothing before a number is lost.
 */
function sentencesOf(text: string): string[] {
  return text
    .trim()
    .split(SENTENCE_END)
    .filter((s) => s !== '');
}

/** A stop and a space, but not after an abbreviation ("TP. Hồ Chí Minh", "v.v. và", "Điều 5. Ngành nghề"). */
const SENTENCE_END = /(?<!(?:^|[\s(])(?:TP|Tp|TX|TT|Q|P|v\.v|[Đđ]iều \d+|[Kk]hoản \d+|[Ss]ố)\.)(?<=[.!?])\s+/u;

/**
 * A brief that also shows the sentence or list line past it which names what the question names
 * (two syllables in a row of the question's, not already in the brief): "phụ nữ", "quy hoạch chi tiết".
 */
export function focusedBrief(answer: string, brief: string, focus: readonly string[]): string {
  if (focus.length < 2) return brief;
  const words = focus.filter((w) => !STOPWORDS.has(w) && !COMMON.has(w));
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < focus.length; i++) {
    if (words.includes(focus[i]) && words.includes(focus[i + 1])) pairs.add(`${focus[i]} ${focus[i + 1]}`);
  }
  if (pairs.size === 0) return brief;
  const { foldedBrief, pieces } = hiddenPieces(answer, brief);
  let best: { piece: string; score: number } | undefined;
  for (const { piece, folded } of pieces) {
    const score = [...pairs].filter((p) => folded.includes(` ${p} `) && !foldedBrief.includes(` ${p} `)).length;
    if (score > 0 && (!best || score > best.score)) best = { piece, score };
  }
  if (!best) return brief;
  const body = brief.replace(/\n…$/, '');
  return `${body}\n${/^(•|\d+\.)/.test(best.piece) ? `…\n${best.piece}` : best.piece}`;
}

/** An answer's sentences and list lines past its brief, folded for matching: the same for every question, so kept. */
const hiddenCache = new Map<string, { foldedBrief: string; pieces: { piece: string; folded: string }[] }>();
function hiddenPieces(answer: string, brief: string) {
  const key = `${brief}\u0000${answer}`;
  let hidden = hiddenCache.get(key);
  if (!hidden) {
    hidden = {
      foldedBrief: ` ${foldDiacritics(brief.toLowerCase())} `,
      pieces: answer
        .split('\n')
        .flatMap((line) => (/^(•|\d+\.)/.test(line) ? [line] : sentencesOf(line)))
        .map((p) => p.trim())
        .filter((p) => p !== '' && !brief.includes(p))
        .map((piece) => ({
          piece,
          folded: ` ${foldDiacritics(piece.toLowerCase())
            .replace(/[^a-z0-9đ ]+/g, ' ')
            .replace(/\s+/g, ' ')} `,
        })),
    };
    // Entries of the live content and a few drafts: bounded all the same.
    if (hiddenCache.size >= 2_000) hiddenCache.clear();
    hiddenCache.set(key, hidden);
  }
  return hidden;
}

// Syllables too common in this domain to point at one sentence.
const COMMON = new Set(
  'ho tro khuyen co so duoc khong ko k dc cho cua cac nhung la gi nao thi sao nhu the bao nhieu san xuat'.split(' '),
);

function firstSentencesWithin(text: string, budget: number): string {
  let out = '';
  for (const s of sentencesOf(text)) {
    // "Dạ, có." says nothing alone: the sentence that explains it is kept.
    if (out.length >= 80 && out.length + s.length + 1 > budget) break;
    out += out === '' ? s : ` ${s}`;
  }
  return out;
}

function firstSentences(text: string, n: number): string {
  return sentencesOf(text).slice(0, n).join(' ');
}

function otherText(answer: string, sources: readonly { document: string; confidence: string }[]): string {
  const named = sources.map((s) => `${s.document}${s.confidence === 'likely' ? ' (theo tin báo chí)' : ''}`);
  return named.length > 0 ? `${answer.trim()}\n\nNguồn: ${named.join('; ')}.` : answer.trim();
}
