/**
 * Where a registration is in the Sở's work, after its owner submitted it: one definition of the
 * stages, their Vietnamese labels, the moves officers may make, and what an owner is told.
 */

/** The stages of a submitted registration; `submitted` until an officer receives it. */
export const STAGES = [
  'submitted',
  'received',
  'reviewing',
  'needs-documents',
  'appraised',
  'included',
  'not-included',
] as const;

/** A stage of a submitted registration. */
export type Stage = (typeof STAGES)[number];

/** How officers and owners read each stage; a draft reads "đang điền". */
export const STAGE_LABELS: Record<Stage | 'draft', string> = {
  draft: 'Đang điền',
  submitted: 'Đã gửi',
  received: 'Đã tiếp nhận',
  reviewing: 'Đang xem xét',
  'needs-documents': 'Cần bổ sung hồ sơ',
  appraised: 'Đã thẩm định',
  included: 'Được đưa vào kế hoạch',
  'not-included': 'Không được đưa vào kế hoạch',
};

/** The moves an officer may make from each stage; the two decisions are final. */
export const NEXT_STAGES: Record<Stage, readonly Stage[]> = {
  submitted: ['received', 'not-included'],
  received: ['reviewing', 'needs-documents', 'not-included'],
  reviewing: ['needs-documents', 'appraised', 'not-included'],
  'needs-documents': ['reviewing', 'not-included'],
  appraised: ['included', 'not-included'],
  included: [],
  'not-included': [],
};

/** What a move needs besides the stage: the missing documents, or the reason a registration is not included. */
export function stageNeeds(stage: Stage): 'missing' | 'reason' | undefined {
  return stage === 'needs-documents' ? 'missing' : stage === 'not-included' ? 'reason' : undefined;
}

/** A stage named by an officer: its id, or its label with or without diacritics ("can bo sung ho so"). */
export function stageFrom(text: string, fold: (s: string) => string): Stage | undefined {
  const wanted = fold(text).trim();
  const aliases: Record<string, Stage> = {
    'tiep nhan': 'received',
    'da tiep nhan': 'received',
    'xem xet': 'reviewing',
    'dang xem xet': 'reviewing',
    'bo sung': 'needs-documents',
    'can bo sung': 'needs-documents',
    'bo sung ho so': 'needs-documents',
    'tham dinh': 'appraised',
    'da tham dinh': 'appraised',
    duyet: 'included',
    'dua vao ke hoach': 'included',
    'khong duyet': 'not-included',
    'khong dua vao ke hoach': 'not-included',
    'tu choi': 'not-included',
  };
  return STAGES.find((s) => s === wanted || fold(STAGE_LABELS[s]) === wanted) ?? aliases[wanted.replace(/\s+/g, ' ')];
}

/**
 * What the owner is told of a move, politely and with what to do next (the registration's code,
 * the missing documents or the reason included).
 */
export function ownerStageMessage(stage: Stage, code: string, details: { missing?: string; reason?: string }): string {
  switch (stage) {
    case 'submitted':
      return `Dạ, bản đăng ký ${code} của anh/chị đã được gửi tới Sở Công Thương. Sở sẽ báo khi có kết quả xem xét.`;
    case 'received':
      return `Dạ, Sở Công Thương đã tiếp nhận bản đăng ký ${code} của anh/chị. Anh/chị chưa cần làm gì thêm; Sở sẽ báo khi có kết quả xem xét.`;
    case 'reviewing':
      return `Dạ, bản đăng ký ${code} của anh/chị đang được Sở Công Thương xem xét. Nếu cần thêm thông tin, cán bộ của Sở sẽ nhắn anh/chị tại đây.`;
    case 'needs-documents':
      return `Dạ, để tiếp tục xem xét bản đăng ký ${code}, Sở Công Thương đề nghị anh/chị bổ sung: ${details.missing ?? 'hồ sơ theo hướng dẫn của cán bộ'}. Anh/chị vui lòng gửi bổ sung cho Sở (hoặc nhắn lại tại đây nếu cần hỏi thêm) và ghi mã ${code}.`;
    case 'appraised':
      return `Dạ, bản đăng ký ${code} của anh/chị đã được Sở Công Thương thẩm định. Sở sẽ báo khi có quyết định đưa vào kế hoạch khuyến công.`;
    case 'included':
      return `Dạ, xin chúc mừng anh/chị: đề án ${code} đã được đưa vào kế hoạch khuyến công. Cán bộ của Sở Công Thương sẽ liên hệ hướng dẫn các bước tiếp theo; anh/chị có thể nhắn tại đây nếu cần hỏi.`;
    case 'not-included':
      return `Dạ, rất tiếc, đề án ${code} của anh/chị chưa được đưa vào kế hoạch khuyến công lần này${details.reason ? ` vì: ${details.reason}` : ''}. Anh/chị có thể nhắn lại tại đây để hỏi thêm, hoặc liên hệ Sở Công Thương để được hướng dẫn cho lần đăng ký sau.`;
  }
}
