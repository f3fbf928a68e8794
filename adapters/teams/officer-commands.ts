import { TurnContext, type ConversationReference } from 'botbuilder';
import { canSee, visibleProvinces, type OfficerIdentity } from '../../bot/officers.ts';
import { STAGE_LABELS, stageFrom, stageNeeds, SUPPORT_AREAS, type Stage } from '../../dialogs/index.ts';
import type { RegistrationWork } from '../../bot/registration-work.ts';
import type { OwnerMessaging } from '../../bot/owner-messages.ts';
import type { Stores } from '../../bot/stores.ts';
import { analyze, findProvinceIn, foldDiacritics } from '../../knowledge/index.ts';
import { registrationDetailCard, registrationListCard, unansweredCard } from './teams-cards.ts';

const TEAMS = 'msteams';

/** A subscription of a Teams conversation to new registrations, optionally filtered. */
export interface Subscription {
  reference: Partial<ConversationReference>;
  province?: string;
  supportArea?: string;
  /** A daily digest instead of a card per registration ("nhận thông báo đăng ký hằng ngày"). */
  digest?: boolean;
  /** The officer who subscribed: the conversation hears only what they may see, as long as they may. */
  officer?: { id: string; tenantId: string; name?: string };
}

/** Said to a Teams user with no province (and not an administrator) who asks for registrations. */
export const NO_PROVINCE =
  'Dạ, tài khoản của anh/chị chưa được phân công tỉnh, thành nào nên chưa xem được đăng ký. Anh/chị vui lòng liên hệ quản trị viên của Sở Công Thương để được phân quyền.';

/** Said when an officer names a province that is not theirs. */
const notYours = (identity: OfficerIdentity) =>
  `Dạ, anh/chị chỉ xem được đăng ký của ${identity.provinces.join(', ')}.`;

/** Reads a province and a support area named in a command ("… Bắc Ninh máy móc"). */
function filters(text: string): { province?: string; supportArea?: string } {
  const province = findProvinceIn(text)?.province.name;
  const folded = analyze(text).folded.join(' ');
  // An area is named by the first two words of its button ("máy móc", "nguồn nhân"), as whole words.
  const area = SUPPORT_AREAS.find((a) =>
    analyze(a.button)
      .folded.slice(0, 2)
      .every((w) => ` ${folded} `.includes(` ${w} `)),
  );
  return { ...(province ? { province } : {}), ...(area ? { supportArea: area.id } : {}) };
}

/** The key a conversation's subscription to notifications is stored under. */
export const subscriptionKey = (conversationId: string) => `teams-sub:${conversationId}`;

/** Runs the officers' command in the message, if it is one; says whether it was. */
export async function officerCommand(
  context: TurnContext,
  deps: { stores: Stores; tabUrl: string; work: RegistrationWork; clock: () => Date; messaging?: OwnerMessaging },
  identity: OfficerIdentity | undefined,
): Promise<boolean> {
  const { stores, tabUrl } = deps;
  const text = (context.activity.text ?? '').trim();
  const folded = analyze(text).folded.join(' ');
  const conversationId = context.activity.conversation.id;
  if (HELP.test(folded)) {
    await context.sendActivity(OFFICER_HELP);
    return true;
  }
  const visible = visibleProvinces(identity);
  // Registrations are for officers of a province and administrators: anyone else is told why.
  const scoped = async (province?: string): Promise<boolean> => {
    if (!identity || (visible !== 'all' && visible.length === 0)) {
      await context.sendActivity(NO_PROVINCE);
      return false;
    }
    if (province && !canSee(identity, province)) {
      await context.sendActivity(notYours(identity));
      return false;
    }
    return true;
  };
  if (/^nhan thong bao( dang ky)?\b/.test(folded)) {
    const sub: Subscription = { reference: TurnContext.getConversationReference(context.activity), ...filters(text) };
    if (!(await scoped(sub.province))) return true;
    if (/\b(hang ngay|moi ngay|tom tat)\b/.test(folded)) sub.digest = true;
    sub.officer = {
      id: identity!.id,
      tenantId: identity!.tenantId,
      ...(identity!.name ? { name: identity!.name } : {}),
    };
    await stores.references.upsert(
      subscriptionKey(conversationId),
      TEAMS,
      sub as unknown as Record<string, unknown>,
      new Date(),
    );
    const scope = [
      sub.province ?? (visible === 'all' ? undefined : visible.join(', ')),
      sub.supportArea ? SUPPORT_AREAS.find((a) => a.id === sub.supportArea)?.label : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    await context.sendActivity({
      type: 'message',
      text: sub.digest
        ? `Dạ, cuộc trò chuyện này sẽ nhận mỗi ngày một bản tóm tắt các đăng ký mới${scope ? ` (${scope})` : ''}, thay cho từng thông báo. Nhắn "dừng thông báo" để thôi.`
        : `Dạ, cuộc trò chuyện này sẽ nhận thông báo mỗi khi có đăng ký mới${scope ? ` (${scope})` : ''}. Nhắn "dừng thông báo" để thôi.`,
      suggestedActions: { actions: [{ type: 'imBack', title: 'Dừng thông báo', value: 'dừng thông báo' }], to: [] },
    });
    return true;
  }
  if (/^(dung|tat|huy) thong bao\b/.test(folded)) {
    await stores.references.remove(subscriptionKey(conversationId));
    await context.sendActivity('Dạ, cuộc trò chuyện này sẽ không nhận thông báo đăng ký nữa.');
    return true;
  }
  if (/^danh sach dang ky\b/.test(folded)) {
    const f = filters(text.replace(/^danh sách đăng ký|^danh sach dang ky/i, ''));
    if (!(await scoped(f.province))) return true;
    const records = await stores.registrations.list({
      status: 'submitted',
      ...f,
      ...(visible === 'all' ? {} : { provinces: visible }),
      limit: 10,
    });
    const title = `10 đăng ký mới nhất${f.province ? ` · ${f.province}` : visible === 'all' ? '' : ` · ${visible.join(', ')}`}${f.supportArea ? ` · ${SUPPORT_AREAS.find((a) => a.id === f.supportArea)?.button}` : ''}`;
    await context.sendActivity({ type: 'message', attachments: [registrationListCard(records, title, tabUrl)] });
    return true;
  }
  const detail = /\b(kc-\d{4}-\d{6})\b/i.exec(text);
  if (detail && /^chi tiet\b/.test(folded)) {
    if (!(await scoped())) return true;
    const found = await stores.registrations.getByCode(detail[1]);
    // Another province's registration is as absent as one that does not exist.
    const record = found && canSee(identity, found.province) ? found : undefined;
    await context.sendActivity(
      record
        ? { type: 'message', attachments: [registrationDetailCard(record, tabUrl)] }
        : `Dạ, không tìm thấy đăng ký ${detail[1].toUpperCase()}.`,
    );
    return true;
  }
  if (/^cau hoi chua tra loi\b/.test(folded)) {
    if (!identity || identity.roles.length === 0) {
      await context.sendActivity(NO_PROVINCE);
      return true;
    }
    await context.sendActivity({
      type: 'message',
      attachments: [unansweredCard(await stores.unanswered.latest(10), tabUrl)],
    });
    return true;
  }
  // Commands on one registration by its code: a stage, a note, its history.
  const code = CODE.exec(text)?.[1]?.toUpperCase();
  const command = COMMANDS.find((c) => c.pattern.test(folded));
  if (code && command) {
    if (!(await scoped())) return true;
    const reference = TurnContext.getConversationReference(context.activity) as unknown as Record<string, unknown>;
    await context.sendActivity(
      await command.run({ ...deps, reference }, identity!, code, afterCode(text, code), folded),
    );
    return true;
  }
  // A registration's code in anything else, or a command without one: never a knowledge answer.
  // (A short message that starts like a command; a longer one is a question: "bổ sung hồ sơ cần những gì".)
  const commandLike = COMMANDS.some((c) => c.pattern.test(folded)) && folded.split(' ').length <= 4;
  if (code || commandLike) {
    await context.sendActivity(`Dạ, tôi không hiểu lệnh này. ${OFFICER_HELP}`);
    return true;
  }
  return false;
}

const CODE = /\b(kc-\d{4}-\d{6})\b/i;
const HELP = /^(tro giup|giup|help|huong dan|lenh|cac lenh|menu)[\s?.!]*$/;

/** The text after the registration's code ("trạng thái KC-… cần bổ sung: giấy phép" → "cần bổ sung: giấy phép"). */
function afterCode(text: string, code: string): string {
  const at = text.toUpperCase().indexOf(code);
  return at < 0 ? '' : text.slice(at + code.length).trim();
}

const fold = (s: string) => foldDiacritics(s.toLowerCase()).replace(/\s+/g, ' ');

/** What an officer reads after an action on a registration. */
type Reply = string;

/** The officers' commands on one registration, by the words that start them (folded). */
const COMMANDS: {
  pattern: RegExp;
  run: (
    deps: {
      work: RegistrationWork;
      clock: () => Date;
      messaging?: OwnerMessaging;
      reference?: Record<string, unknown>;
    },
    identity: OfficerIdentity,
    code: string,
    rest: string,
    folded: string,
  ) => Promise<Reply>;
}[] = [
  {
    // "trạng thái KC-… đã tiếp nhận", "trạng thái KC-… cần bổ sung: bản sao giấy phép".
    pattern: /^(trang thai|chuyen trang thai|chuyen)\b/,
    run: async ({ work }, identity, code, rest) => {
      const [stageText, ...detail] = rest.split(':');
      const stage = stageFrom(stageText ?? '', fold);
      if (!stage)
        return `Dạ, xin anh/chị ghi trạng thái mới sau mã, ví dụ "trạng thái ${code} đã tiếp nhận". Các trạng thái: ${STAGE_NAMES}.`;
      return stageReply(await work.changeStage(identity, code, stage, detailsFor(stage, detail.join(':'))), code);
    },
  },
  {
    // Shortcuts for the usual moves: "tiếp nhận KC-…", "duyệt KC-…", "không duyệt KC-…: lý do".
    pattern: /^(tiep nhan|xem xet|bo sung|tham dinh|duyet|khong duyet|tu choi)\b/,
    run: async ({ work }, identity, code, rest, folded) => {
      const word = SHORTCUTS.find(([w]) => folded.startsWith(w))!;
      const detail = rest.replace(/^[:\s]+/, '');
      return stageReply(await work.changeStage(identity, code, word[1], detailsFor(word[1], detail)), code);
    },
  },
  {
    pattern: /^ghi chu\b/,
    run: async ({ work }, identity, code, rest) => {
      const result = await work.addNote(identity, code, rest.replace(/^[:\s]+/, ''));
      return result.ok ? `Dạ, đã lưu ghi chú cho đăng ký ${code} (chỉ cán bộ xem được).` : result.message;
    },
  },
  {
    // "nhắn KC-… <nội dung>": to the owner, on their channel, if Zalo's window allows.
    pattern: /^(nhan|nhan tin|tra loi)\b(?! thong bao)/,
    run: async ({ messaging, reference }, identity, code, rest) => {
      if (!messaging) return 'Dạ, chưa nhắn được cho chủ cơ sở từ đây.';
      const sent = await messaging.send(identity, code, rest.replace(/^[:\s]+/, ''), reference);
      if (!sent.ok) return sent.message;
      return `Dạ, đã gửi tin nhắn cho chủ cơ sở của đăng ký ${code}. ${sent.reach.explanation} Khi chủ cơ sở trả lời, câu trả lời được ghi vào lịch sử đăng ký.`;
    },
  },
  {
    pattern: /^lich su\b/,
    run: async ({ work }, identity, code) => {
      const result = await work.history(identity, code);
      if (!result.ok) return result.message;
      if (result.value.length === 0) return `Dạ, đăng ký ${code} chưa có hoạt động nào của cán bộ.`;
      return `Lịch sử đăng ký ${code}:\n\n${result.value.map(historyLine).join('\n\n')}`;
    },
  },
];

/** The shortcut words and the stage each moves to ("khong duyet" before "duyet"). */
const SHORTCUTS: [string, Stage][] = [
  ['khong duyet', 'not-included'],
  ['tu choi', 'not-included'],
  ['tiep nhan', 'received'],
  ['xem xet', 'reviewing'],
  ['bo sung', 'needs-documents'],
  ['tham dinh', 'appraised'],
  ['duyet', 'included'],
];

const STAGE_NAMES = Object.entries(STAGE_LABELS)
  .filter(([id]) => id !== 'draft' && id !== 'submitted')
  .map(([, label]) => label.toLowerCase())
  .join(', ');

/** The missing documents or the reason a move needs, from the text after ":". */
function detailsFor(stage: Parameters<typeof stageNeeds>[0], text: string): { missing?: string; reason?: string } {
  const need = stageNeeds(stage);
  return need ? { [need]: text.trim() } : {};
}

function stageReply(result: Awaited<ReturnType<RegistrationWork['changeStage']>>, code: string): Reply {
  if (!result.ok) return result.message;
  return `Dạ, đăng ký ${code} đã chuyển từ "${STAGE_LABELS[result.value.from]}" sang "${STAGE_LABELS[result.value.record.stage!]}".`;
}

/** One line of a registration's history, for Teams. */
function historyLine(e: Awaited<ReturnType<Stores['work']['history']>>[number]): string {
  const when = e.createdAt.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  const who = e.actorName ?? (e.actor === 'owner' ? 'Chủ cơ sở' : 'Cán bộ');
  const d = e.details;
  const label = (s: unknown) => STAGE_LABELS[s as keyof typeof STAGE_LABELS] ?? String(s);
  const what =
    e.kind === 'stage'
      ? `chuyển "${label(d.from)}" → "${label(d.to)}"${d.missing ? ` (cần bổ sung: ${String(d.missing)})` : ''}${d.reason ? ` (lý do: ${String(d.reason)})` : ''}`
      : e.kind === 'note'
        ? `ghi chú: ${String(d.text)}`
        : e.kind === 'correction'
          ? `sửa ${String(d.field)}`
          : e.kind === 'message-out'
            ? `nhắn cơ sở: ${String(d.text)}`
            : e.kind === 'message-in'
              ? `cơ sở trả lời: ${String(d.text)}`
              : `chưa gửi được tin nhắn`;
  return `• ${when} · ${who} · ${what}`;
}

/** The officers' commands, as "trợ giúp" lists them in Teams. */
export const OFFICER_HELP = [
  'Dạ, các lệnh dành cho cán bộ (gõ có dấu hoặc không dấu; mã đăng ký dạng KC-2026-000123):',
  [
    '• danh sách đăng ký [tỉnh] [lĩnh vực]: 10 đăng ký mới nhất trong các tỉnh anh/chị phụ trách',
    '• chi tiết KC-…: đầy đủ một đăng ký',
    '• lịch sử KC-…: mọi việc đã làm với đăng ký',
    `• trạng thái KC-… <trạng thái>[: hồ sơ cần bổ sung hoặc lý do]: chuyển trạng thái (${'đã tiếp nhận, đang xem xét, cần bổ sung hồ sơ, đã thẩm định, được đưa vào kế hoạch, không được đưa vào kế hoạch'})`,
    '• tiếp nhận KC-…, duyệt KC-…, không duyệt KC-…: lý do: cách gõ ngắn',
    '• ghi chú KC-… <nội dung>: ghi chú chỉ cán bộ xem',
    '• nhắn KC-… <nội dung>: nhắn cho chủ cơ sở qua kênh họ đã đăng ký (Zalo hoặc trang web)',
    '• nhận thông báo đăng ký [tỉnh] [lĩnh vực] (thêm "hằng ngày" để nhận một bản tóm tắt mỗi ngày), dừng thông báo',
    '• câu hỏi chưa trả lời',
  ].join('\n'),
  'Các tin nhắn khác được hiểu là câu hỏi về khuyến công.',
].join('\n\n');
