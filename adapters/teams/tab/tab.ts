import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { STAGE_LABELS, STAGES } from '../../../dialogs/registration-stages.ts';

import { connectToTeams } from './teams-host.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

interface Flag {
  id: string;
  label: string;
  detail?: string;
}
interface HistoryEvent {
  kind: string;
  actor: string;
  actorName: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}
interface Item {
  code: string | null;
  status: string;
  stage?: string;
  stageLabel?: string;
  flags?: Flag[];
  nextStages?: { id: string; label: string; needs: 'missing' | 'reason' | null }[];
  correctable?: { key: string; label: string }[];
  history?: HistoryEvent[];
  province: string | null;
  supportArea: string | null;
  createdAt: string;
  submittedAt: string | null;
  data: Record<string, unknown>;
  /** The detail as the server renders it from the registration's catalogue. */
  view?: {
    key: string;
    label: string;
    group: string;
    groupLabel: string;
    value: string;
    corrected?: boolean;
    original?: string;
  }[];
}
interface ListAnswer {
  /** What this officer may see: every province (admin) or theirs; none: nothing. */
  scope?: { all: boolean; provinces: string[] };
  total: number;
  items: Item[];
  stats: { byArea: Record<string, number>; byProvince: Record<string, number> };
}

const AREAS: Record<string, string> = {
  'mo-hinh-trinh-dien': 'Mô hình trình diễn',
  'may-moc-thiet-bi': 'Máy móc thiết bị',
  'moi-truong-ccn': 'Môi trường, CCN',
  'san-pham-tieu-bieu': 'Sản phẩm tiêu biểu',
  'nguon-nhan-luc': 'Nguồn nhân lực',
  'tu-van-thong-tin': 'Tư vấn, thông tin',
};
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let token: string | undefined;
let sort = 'createdAt';
let dir: 'asc' | 'desc' = 'desc';
let page = 1;
const PAGE_SIZE = 50;
const charts: Record<string, Chart> = {};

function query(): URLSearchParams {
  const form = new FormData($<HTMLFormElement>('filters'));
  const params = new URLSearchParams();
  for (const [k, v] of form) if (typeof v === 'string' && v !== '') params.set(k, v);
  params.set('sort', sort);
  params.set('dir', dir);
  params.set('page', String(page));
  params.set('pageSize', String(PAGE_SIZE));
  return params;
}

/** Said when the server cannot be reached or fails: the rows shown are cleared, never left stale. */
const UNREACHABLE = 'Dạ, chưa tải được dữ liệu từ máy chủ. Anh/chị thử lại sau ít phút.';

async function api(path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    showError(UNREACHABLE);
    throw new Error('unreachable');
  }
  if (res.status === 401) {
    const answer = (await res.json().catch(() => ({}))) as { message?: string };
    refuse(answer.message);
    throw new Error('unauthorized');
  }
  if (res.status >= 500) {
    showError(UNREACHABLE);
    throw new Error(`server error ${res.status}`);
  }
  return res;
}

function showError(message: string | undefined): void {
  const box = $('error');
  box.hidden = !message;
  box.textContent = message ?? '';
}

function refuse(message?: string): void {
  $('app').hidden = true;
  $('refused').hidden = false;
  if (message) $('refused-text').textContent = message;
}

function draw(id: string, counts: Record<string, number>, label: (k: string) => string): void {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  charts[id]?.destroy();
  charts[id] = new Chart($<HTMLCanvasElement>(id), {
    type: 'bar',
    data: {
      labels: entries.map(([k]) => label(k)),
      datasets: [{ label: 'Số đăng ký', data: entries.map(([, v]) => v), backgroundColor: '#1b7a3d' }],
    },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

function badges(flags: Flag[] | undefined): HTMLElement {
  const span = document.createElement('span');
  for (const f of flags ?? []) {
    const badge = document.createElement('span');
    badge.className = 'flag';
    badge.textContent = f.label;
    if (f.detail) badge.title = f.detail;
    span.append(badge);
  }
  return span;
}

/** The latest list request: an earlier one answering after it (typing, then paging) is dropped. */
let latestList = 0;

async function refresh(): Promise<void> {
  const body = $<HTMLTableElement>('list').tBodies[0];
  const request = ++latestList;
  let answer: ListAnswer;
  try {
    const res = await api(`/api/registrations?${query()}`);
    if (!res.ok) throw new Error(`status ${res.status}`);
    answer = (await res.json()) as ListAnswer;
    if (request !== latestList) return;
  } catch (error) {
    if (request !== latestList) return;
    // No stale rows under an error: the list is emptied and the message says why.
    body.replaceChildren();
    $('summary').textContent = '';
    if (!(error instanceof Error && error.message === 'unauthorized')) showError(UNREACHABLE);
    throw error;
  }
  showError(undefined);
  const scope = answer.scope;
  $('summary').textContent =
    scope && !scope.all && scope.provinces.length === 0
      ? 'Tài khoản của anh/chị chưa được phân công tỉnh, thành nào nên chưa xem được đăng ký. Xin liên hệ quản trị viên của Sở Công Thương.'
      : `${answer.total} đăng ký phù hợp${scope && !scope.all ? ` (${scope.provinces.join(', ')})` : ''}`;
  const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
  $('page-of').textContent = `Trang ${page}/${pages}`;
  $<HTMLButtonElement>('prev').disabled = page <= 1;
  $<HTMLButtonElement>('next').disabled = page >= pages;
  body.replaceChildren();
  for (const item of answer.items) {
    const row = body.insertRow();
    row.tabIndex = 0;
    const cells = [
      item.code ?? '(nháp)',
      String(item.data.facilityName ?? ''),
      item.province ?? '',
      item.supportArea ? (AREAS[item.supportArea] ?? item.supportArea) : '',
      item.stageLabel ?? (item.status === 'submitted' ? 'Đã gửi' : 'Đang điền'),
    ];
    for (const c of cells) row.insertCell().textContent = c;
    row.insertCell().append(badges(item.flags));
    row.insertCell().textContent = vietnamDate(item.createdAt);
    const open = () => item.code && void showDetail(item.code);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => e.key === 'Enter' && open());
  }
  draw('chart-area', answer.stats.byArea, (k) => AREAS[k] ?? k);
  draw('chart-province', answer.stats.byProvince, (k) => k);
  const provinces = $<HTMLSelectElement>('f-province');
  for (const p of Object.keys(answer.stats.byProvince).sort()) {
    if (![...provinces.options].some((o) => o.value === p)) provinces.add(new Option(p, p));
  }
}

/** "26/11/2026" in Vietnam time. */
function vietnamDate(iso: string, withTime = false): string {
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(new Date(iso));
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

/** One line of a registration's history, in Vietnamese. */
function historyLine(e: HistoryEvent): string {
  const who = e.actorName ?? (e.actor === 'owner' ? 'Chủ cơ sở' : 'Cán bộ');
  const d = e.details;
  const label = (s: unknown) => STAGE_LABELS[s as keyof typeof STAGE_LABELS] ?? String(s);
  const what =
    e.kind === 'stage'
      ? `chuyển "${label(d.from)}" → "${label(d.to)}"${d.missing ? `; cần bổ sung: ${String(d.missing)}` : ''}${d.reason ? `; lý do: ${String(d.reason)}` : ''}`
      : e.kind === 'note'
        ? `ghi chú: ${String(d.text)}`
        : e.kind === 'correction'
          ? `sửa "${String(d.field)}": ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`
          : e.kind === 'message-out'
            ? `nhắn cơ sở: ${String(d.text)}${d.delivery ? ` (${String(d.delivery)})` : ''}`
            : e.kind === 'message-in'
              ? `cơ sở trả lời: ${String(d.text)}`
              : `chưa gửi được tin nhắn: ${String(d.reason ?? '')}`;
  return `${vietnamDate(e.createdAt, true)} · ${who} · ${what}`;
}

/** A small form of the detail: its fields, a submit button, and what happens on submit. */
function actionForm(
  legend: string,
  fields: HTMLElement[],
  button: string,
  onSubmit: (form: HTMLFormElement) => Promise<void>,
): HTMLFormElement {
  const form = el('form');
  form.append(el('strong', legend), ...fields, el('button', button, { type: 'submit' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void onSubmit(form).catch(() => undefined);
  });
  return form;
}

const labelled = (text: string, control: HTMLElement) => {
  const label = el('label', text);
  label.append(control);
  return label;
};

/** Posts an action; on success shows the detail again, otherwise the server's Vietnamese message. */
async function act(code: string, path: string, body: unknown): Promise<void> {
  const res = await api(`/api/registrations/${encodeURIComponent(code)}/${path}`, body);
  const answer = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) return showError(answer.message ?? 'Dạ, chưa thực hiện được.');
  showError(undefined);
  await showDetail(code);
  $('detail-status').textContent = 'Đã lưu.';
  await refresh().catch(() => undefined);
}

function actions(item: Item): HTMLElement {
  const box = el('div', undefined, { class: 'actions' });
  const code = item.code!;
  if (item.nextStages?.length) {
    const select = el('select', undefined, { name: 'to' });
    for (const s of item.nextStages) select.append(new Option(s.label, s.id));
    const text = el('textarea', undefined, { name: 'text', rows: '2' });
    const textLabel = labelled('Cần bổ sung / lý do', text);
    const sync = () => {
      const needs = item.nextStages!.find((s) => s.id === select.value)?.needs;
      textLabel.hidden = !needs;
      textLabel.firstChild!.textContent = needs === 'missing' ? 'Cần bổ sung những gì' : 'Lý do';
    };
    select.addEventListener('change', sync);
    sync();
    const notify = el('input', undefined, { type: 'checkbox', name: 'notify' });
    const notifyLabel = el('label', 'Báo cho chủ cơ sở ');
    notifyLabel.prepend(notify);
    box.append(
      actionForm('Chuyển trạng thái', [labelled('Sang', select), textLabel, notifyLabel], 'Chuyển', async () => {
        const needs = item.nextStages!.find((s) => s.id === select.value)?.needs;
        await act(code, 'stage', {
          to: select.value,
          ...(needs ? { [needs]: text.value } : {}),
          ...(notify.checked ? { notifyOwner: true } : {}),
        });
      }),
    );
  }
  const note = el('textarea', undefined, { name: 'note', rows: '2' });
  box.append(
    actionForm('Ghi chú (chỉ cán bộ xem)', [labelled('Nội dung', note)], 'Lưu ghi chú', () =>
      act(code, 'notes', { text: note.value }),
    ),
  );
  if (item.status === 'submitted') {
    // Whether the owner can be reached is said before anything is written.
    const message = el('textarea', undefined, { name: 'message', rows: '3' });
    const reach = el('p', 'Đang kiểm tra kênh liên lạc…', { class: 'reach', role: 'status' });
    const form = actionForm('Nhắn cho chủ cơ sở', [reach, labelled('Nội dung', message)], 'Gửi', () =>
      act(code, 'messages', { text: message.value }),
    );
    box.append(form);
    void api(`/api/registrations/${encodeURIComponent(code)}/reach`)
      .then(async (res) => {
        const r = (await res.json()) as { canSend: boolean; explanation: string };
        reach.textContent = r.explanation;
        form.querySelector('button')!.disabled = !r.canSend;
      })
      .catch(() => undefined);
  }
  if (item.status === 'submitted' && item.correctable?.length) {
    const field = el('select', undefined, { name: 'field' });
    for (const f of item.correctable) field.append(new Option(f.label, f.key));
    const value = el('input', undefined, { name: 'value' });
    const reason = el('input', undefined, { name: 'reason' });
    box.append(
      actionForm(
        'Sửa thông tin (giữ nguyên thông tin gốc của cơ sở)',
        [labelled('Trường', field), labelled('Giá trị mới', value), labelled('Lý do', reason)],
        'Sửa',
        () => act(code, 'corrections', { field: field.value, value: value.value, reason: reason.value }),
      ),
    );
  }
  return box;
}

async function showDetail(code: string): Promise<void> {
  const res = await api(`/api/registrations/${encodeURIComponent(code)}`);
  if (!res.ok) return showError('Dạ, không tìm thấy đăng ký này.');
  const item = (await res.json()) as Item;
  const section = $('detail');
  section.hidden = false;
  section.replaceChildren();
  const title = document.createElement('h2');
  title.textContent = `Đăng ký ${item.code}`;
  // One heading and definition list per group (cơ sở · đề án · kinh phí), in the catalogue's order.
  const groups: HTMLElement[] = [];
  let list: HTMLDListElement | undefined;
  let group = '';
  for (const row of item.view ?? []) {
    if (row.group !== group || !list) {
      group = row.group;
      const heading = document.createElement('h3');
      heading.textContent = row.groupLabel;
      list = document.createElement('dl');
      groups.push(heading, list);
    }
    const dt = document.createElement('dt');
    dt.textContent = row.label;
    const dd = document.createElement('dd');
    dd.textContent = row.corrected ? `${row.value} (cán bộ đã sửa; cơ sở ghi: ${row.original})` : row.value;
    list.append(dt, dd);
  }
  const status = el('p', `Tình trạng: ${item.stageLabel ?? ''}`);
  const saved = el('p', '', { id: 'detail-status', class: 'done', role: 'status' });
  const flags = el('ul');
  for (const f of item.flags ?? []) flags.append(el('li', f.detail ? `${f.label}: ${f.detail}` : f.label));
  const history = el('ol', undefined, { class: 'history' });
  for (const e of item.history ?? []) history.append(el('li', historyLine(e)));
  section.append(
    title,
    status,
    saved,
    ...(item.flags?.length ? [el('h3', 'Cờ cảnh báo'), flags] : []),
    ...(item.code ? [el('h3', 'Xử lý'), actions(item)] : []),
    ...groups,
    el('h3', 'Lịch sử'),
    item.history?.length ? history : el('p', 'Chưa có gì.'),
  );
  title.tabIndex = -1;
  title.focus();
}

async function download(): Promise<void> {
  const res = await api(`/api/registrations/export.xlsx?${query()}`);
  const blob = await res.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'dang-ky.xlsx';
  document.body.append(link);
  link.click();
  link.remove();
}

async function main(): Promise<void> {
  const host = await connectToTeams();
  token = host.token;
  const { inTeams } = host;
  $('mode').textContent = inTeams ? 'Trong Microsoft Teams' : 'Chế độ thử (ngoài Teams)';
  $('app').hidden = false;
  const areas = $<HTMLSelectElement>('f-area');
  for (const [id, label] of Object.entries(AREAS)) areas.add(new Option(label, id));
  const stages = $<HTMLSelectElement>('f-stage');
  for (const id of ['draft', ...STAGES] as const) stages.add(new Option(STAGE_LABELS[id], id));
  const again = () => {
    page = 1;
    void refresh().catch(() => undefined);
  };
  $('filters').addEventListener('change', again);
  $('f-q').addEventListener('input', again);
  $('prev').addEventListener('click', () => {
    page = Math.max(1, page - 1);
    void refresh().catch(() => undefined);
  });
  $('next').addEventListener('click', () => {
    page += 1;
    void refresh().catch(() => undefined);
  });
  $('download').addEventListener('click', () => void download().catch(() => undefined));
  for (const button of document.querySelectorAll<HTMLButtonElement>('th button[data-sort]')) {
    button.addEventListener('click', () => {
      const key = button.dataset.sort!;
      dir = sort === key && dir === 'desc' ? 'asc' : 'desc';
      sort = key;
      page = 1;
      void refresh().catch(() => undefined);
    });
  }
  const code = new URLSearchParams(location.search).get('code');
  await refresh().catch(() => undefined);
  if (code) await showDetail(code).catch(() => undefined);
}

void main();
