import { connectToTeams } from './teams-host.ts';

interface Group {
  key: string;
  text: string;
  texts: string[];
  normalized: string[];
  count: number;
  first: string;
  last: string;
  channels: string[];
  provinces: string[];
  status: 'open' | 'handled' | 'ignored';
}
interface Entry {
  id: string;
  title: string;
  short?: string;
  answer?: string;
  province?: string;
  questions: string[];
  tags?: { topic?: string };
  kind?: string;
  source?: { document?: string; date?: string; part?: string; confidence?: string; via?: string }[];
  validity?: { planYear?: number; period?: string; inForceFrom?: string; supersededBy?: string };
  deadlines?: { label: string; date: string; planYear: number }[];
  localizes?: string;
  followUps?: string[];
}
interface Draft {
  id: string;
  note: string;
  baseVersion: number;
  content: { entries: Entry[] };
}
interface Problem {
  field: string;
  message: string;
}
interface Report {
  passed: boolean;
  draft: Record<string, number>;
  live: Record<string, number>;
  misses: { figure: string; label: string; value: number; min?: number; max?: number }[];
  thresholds: { figure: string; label: string; min?: number; max?: number }[];
  changes: {
    where: string;
    question: string;
    kind: 'moved' | 'new-fallback' | 'new-answer';
    before: string | null;
    after: string | null;
  }[];
  forbidden?: string[];
  ms: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const CHANNELS: Record<string, string> = { zalo: 'Zalo', msteams: 'Teams', webchat: 'Web', console: 'Máy tính' };
const KINDS: Record<string, string> = {
  'new-answer': 'Câu trả lời mới',
  moved: 'Chuyển sang mục khác',
  'new-fallback': 'Không còn trả lời được',
};
const DRAFT_KEY = 'kc.curate.draft';
let token: string | undefined;
let me: { roles: string[]; provinces: string[]; grants: { role: string; province?: string }[] } = {
  roles: [],
  provinces: [],
  grants: [],
};
let live = 0;
let draft: Draft | undefined;
/** The group the editor was opened from, marked handled once its entry is saved. */
let editingFrom: Group | undefined;
/** The entry being edited, whose fields the form does not show are kept as they are. */
let editing: Entry | undefined;

/** A failure of the page's own code is said on the console (where tests and developers look), not swallowed. */
function reportError(error: unknown): void {
  if (!(error instanceof Error && error.message === 'refused')) console.error(error);
}

const dateVi = (iso: string) => new Date(iso).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = (text ? JSON.parse(text) : null) as T;
  if (res.status === 401 || (res.status === 403 && path === '/api/content')) {
    refuse((json as { message?: string } | null)?.message);
    throw new Error('refused');
  }
  return { status: res.status, json };
}

function refuse(message?: string): void {
  $('app').hidden = true;
  $('refused').hidden = false;
  if (message) $('refused-text').textContent = message;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** The curator's draft: the one this page worked on, if it still exists, or a new one from the live version. */
async function ensureDraft(): Promise<Draft> {
  if (draft) return draft;
  const kept = localStorage.getItem(DRAFT_KEY);
  if (kept) {
    const found = await api<Draft>('GET', `/api/content/drafts/${encodeURIComponent(kept)}`);
    if (found.status === 200) return showDraft(found.json);
  }
  const created = await api<Draft>('POST', '/api/content/drafts', { note: 'Từ câu hỏi chưa trả lời được' });
  localStorage.setItem(DRAFT_KEY, created.json.id);
  return showDraft(created.json);
}

function showDraft(d: Draft): Draft {
  draft = d;
  $('draft-info').textContent = `Bản nháp dựa trên phiên bản ${d.baseVersion}: ${d.content.entries.length} mục.`;
  $<HTMLButtonElement>('check').disabled = false;
  fillEntrySelect(d.content.entries);
  return d;
}

function fillEntrySelect(list: Entry[]): void {
  const select = $<HTMLSelectElement>('edit-entry');
  const chosen = select.value;
  select.replaceChildren(...list.map((e) => new Option(`${e.title}${e.province ? ` (${e.province})` : ''}`, e.id)));
  if (chosen) select.value = chosen;
  const national = $<HTMLSelectElement>('e-localizes');
  national.length = 1;
  for (const e of list) if (!e.province) national.add(new Option(e.title, e.id));
}

/** Opens the editor on an entry of the draft, every field filled. */
async function editEntry(): Promise<void> {
  const d = await ensureDraft();
  const entry = d.content.entries.find((e) => e.id === $<HTMLSelectElement>('edit-entry').value);
  if (!entry) return;
  editing = structuredClone(entry);
  editingFrom = undefined;
  const form = $<HTMLFormElement>('entry-form');
  form.reset();
  clearProblems();
  const set = (name: string, value: string | number | undefined) =>
    ((form.elements.namedItem(name) as HTMLInputElement).value = value === undefined ? '' : String(value));
  set('id', entry.id);
  set('title', entry.title);
  set('short', entry.short);
  set('answer', entry.answer);
  set('questions', entry.questions.join('\n'));
  set('topic', entry.tags?.topic);
  const source = entry.source?.[0] ?? {};
  set('document', source.document);
  set('date', source.date);
  set('part', source.part);
  set('confidence', source.confidence ?? 'certain');
  set('planYear', entry.validity?.planYear);
  set('period', entry.validity?.period);
  set('inForceFrom', entry.validity?.inForceFrom);
  set('supersededBy', entry.validity?.supersededBy);
  set('deadlines', (entry.deadlines ?? []).map((x) => `${x.label} | ${x.date} | ${x.planYear}`).join('\n'));
  set('followUps', (entry.followUps ?? []).join(', '));
  set('localizes', entry.localizes ?? '');
  const province = $<HTMLSelectElement>('e-province');
  province.length = 1;
  if (entry.province) province.add(new Option(entry.province, entry.province));
  province.value = entry.province ?? '';
  $('h-editor').textContent = 'Sửa mục';
  $('editor').hidden = false;
  $('h-editor').scrollIntoView({ block: 'start' });
}

async function loadGroups(): Promise<void> {
  const days = $<HTMLSelectElement>('u-days').value;
  const status = $<HTMLSelectElement>('u-status').value;
  const { json } = await api<{ total: number; groups: Group[] }>(
    'GET',
    `/api/unanswered?days=${days}&status=${status}`,
  );
  $('u-summary').textContent = `${json.groups.length} nhóm, ${json.total} câu hỏi`;
  const list = $('groups');
  list.replaceChildren(...json.groups.map(groupItem));
}

function groupItem(group: Group): HTMLLIElement {
  const item = el('li', undefined, 'group');
  item.append(el('p', group.text, 'group-text'));
  const facts = [
    `${group.count} lần`,
    group.first === group.last ? dateVi(group.first) : `${dateVi(group.first)} – ${dateVi(group.last)}`,
    group.channels.map((c) => CHANNELS[c] ?? c).join(', '),
    group.provinces.length > 0 ? group.provinces.join(', ') : 'chưa rõ tỉnh',
  ];
  item.append(el('p', facts.join(' · '), 'group-facts'));
  if (group.texts.length > 1) {
    const more = el('details');
    more.append(el('summary', `${group.texts.length} cách hỏi`));
    const ul = el('ul');
    for (const t of group.texts) ul.append(el('li', t));
    more.append(ul);
    item.append(more);
  }
  const actions = el('div', undefined, 'actions');
  const attach = el('button', 'Thêm vào mục có sẵn');
  const create = el('button', 'Soạn mục mới');
  const handled = el('button', group.status === 'handled' ? 'Mở lại' : 'Đã xử lý');
  const ignored = el('button', group.status === 'ignored' ? 'Mở lại' : 'Bỏ qua');
  for (const b of [attach, create, handled, ignored]) b.type = 'button';
  actions.append(attach, create, handled, ignored);
  item.append(actions);
  const result = el('p', '', 'group-result');
  result.setAttribute('role', 'status');
  item.append(result);
  handled.addEventListener('click', () => void mark(group, group.status === 'handled' ? 'open' : 'handled'));
  ignored.addEventListener('click', () => void mark(group, group.status === 'ignored' ? 'open' : 'ignored'));
  create.addEventListener('click', () => void openEditor(group));
  attach.addEventListener('click', () => void attachForm(item, group, result));
  return item;
}

async function mark(group: Group, status: 'handled' | 'ignored' | 'open'): Promise<void> {
  await api('POST', '/api/unanswered/marks', { normalized: group.normalized, status });
  await loadGroups();
}

async function attachForm(item: HTMLElement, group: Group, result: HTMLElement): Promise<void> {
  const d = await ensureDraft();
  item.querySelector('form')?.remove();
  const form = el('form', undefined, 'attach');
  const select = el('select');
  select.setAttribute('aria-label', 'Mục');
  for (const e of d.content.entries) select.add(new Option(`${e.title}${e.province ? ` (${e.province})` : ''}`, e.id));
  const boxes = group.texts.map((t) => {
    const label = el('label');
    const box = el('input');
    box.type = 'checkbox';
    box.checked = true;
    box.value = t;
    label.append(box, ` ${t}`);
    return { label, box };
  });
  const submit = el('button', 'Thêm câu hỏi vào mục');
  submit.type = 'submit';
  form.append(select, ...boxes.map((b) => b.label), submit);
  item.insertBefore(form, result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const questions = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
      const res = await api<{ problems?: Problem[]; message?: string; entry?: Entry }>(
        'POST',
        `/api/content/drafts/${d.id}/entries/${encodeURIComponent(select.value)}/questions`,
        { questions },
      );
      if (res.status === 200) {
        result.textContent = `Đã thêm ${questions.length} câu hỏi vào bản nháp. Hãy bấm "Kiểm tra" trước khi xuất bản.`;
        form.remove();
        await refreshDraft();
      } else
        result.textContent =
          res.json.message ?? (res.json.problems ?? []).map((p) => `${p.field}: ${p.message}`).join('; ');
    })();
  });
}

async function refreshDraft(): Promise<void> {
  if (!draft) return;
  const res = await api<Draft>('GET', `/api/content/drafts/${draft.id}`);
  if (res.status === 200) showDraft(res.json);
}

async function openEditor(group: Group): Promise<void> {
  await ensureDraft();
  editingFrom = group;
  editing = undefined;
  $('h-editor').textContent = 'Soạn mục mới';
  const form = $<HTMLFormElement>('entry-form');
  form.reset();
  clearProblems();
  (form.elements.namedItem('questions') as HTMLTextAreaElement).value = group.texts.join('\n');
  const province = $<HTMLSelectElement>('e-province');
  province.length = 1;
  const mine = me.roles.includes('admin')
    ? [...new Set([...group.provinces])]
    : me.grants.filter((g) => g.role === 'curator' && g.province).map((g) => g.province!);
  for (const p of mine) province.add(new Option(p, p));
  if (mine.length > 0) province.value = mine[0];
  $('editor').hidden = false;
  $('h-editor').scrollIntoView({ block: 'start' });
  (form.elements.namedItem('id') as HTMLInputElement).focus();
}

function clearProblems(): void {
  for (const p of document.querySelectorAll('#entry-form .problem')) p.textContent = '';
  for (const l of document.querySelectorAll('#entry-form [aria-invalid]')) l.removeAttribute('aria-invalid');
  $('entry-result').textContent = '';
}

/** Puts each problem next to its field: the closest labelled field of its path. */
function showProblems(problems: Problem[]): void {
  for (const problem of problems) {
    const parts = problem.field.split('.');
    let holder: HTMLElement | null = null;
    for (let n = parts.length; n > 0 && !holder; n--)
      holder = document.querySelector<HTMLElement>(`#entry-form [data-field="${parts.slice(0, n).join('.')}"]`);
    holder ??= document.querySelector<HTMLElement>(`#entry-form [data-problem-for="${parts[0]}"]`) ?? $('entry-result');
    let slot = holder.querySelector<HTMLElement>(':scope > .problem');
    if (!slot && holder.matches('.problem, #entry-result')) slot = holder;
    if (!slot) {
      slot = el('span', '', 'problem');
      holder.append(slot);
    }
    slot.textContent = [slot.textContent, problem.message].filter(Boolean).join('; ');
    holder.querySelector('input, textarea, select')?.setAttribute('aria-invalid', 'true');
  }
}

function entryFromForm(form: HTMLFormElement): Record<string, unknown> {
  const v = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  const optional = (value: string) => (value === '' ? undefined : value);
  const planYear = v('planYear');
  const validity = Object.fromEntries(
    Object.entries({
      planYear: planYear === '' ? undefined : Number(planYear),
      period: optional(v('period')),
      inForceFrom: optional(v('inForceFrom')),
      supersededBy: optional(v('supersededBy')),
    }).filter(([, x]) => x !== undefined),
  );
  const deadlines = v('deadlines')
    .split('\n')
    .map((line) => line.split('|').map((x) => x.trim()))
    .filter((parts) => parts.some(Boolean))
    .map(([label, date, year]) => ({ label, date, planYear: Number(year) }));
  const base = editing ?? {};
  const [, ...moreSources] = editing?.source ?? [];
  return {
    ...base,
    id: v('id'),
    kind: editing?.kind ?? 'fact',
    title: v('title'),
    short: v('short'),
    answer: v('answer'),
    questions: v('questions')
      .split('\n')
      .map((q) => q.trim())
      .filter(Boolean),
    tags: { areas: [], audience: ['facility', 'officer'], ...(editing?.tags ?? {}), topic: v('topic') },
    source: [
      Object.fromEntries(
        Object.entries({
          document: v('document'),
          date: optional(v('date')),
          part: optional(v('part')),
          confidence: v('confidence'),
          via: editing?.source?.[0]?.via ?? 'biên tập viên qua trang biên tập',
        }).filter(([, x]) => x !== undefined),
      ),
      ...moreSources,
    ],
    validity,
    deadlines,
    followUps: v('followUps')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    province: optional(v('province')),
    localizes: optional(v('localizes')),
  };
}

async function saveEntry(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const d = await ensureDraft();
  const form = event.target as HTMLFormElement;
  clearProblems();
  const entry = entryFromForm(form);
  const id = String(entry.id) || '-';
  const res = await api<{ problems?: Problem[]; message?: string }>(
    'PUT',
    `/api/content/drafts/${d.id}/entries/${encodeURIComponent(id)}`,
    { entry },
  );
  if (res.status === 200) {
    $('entry-result').textContent = 'Đã lưu mục vào bản nháp. Bấm "Kiểm tra" để xem thay đổi trước khi xuất bản.';
    await refreshDraft();
    return;
  }
  if (res.json.problems) showProblems(res.json.problems);
  else $('entry-result').textContent = res.json.message ?? 'Chưa lưu được mục.';
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function check(): Promise<void> {
  if (!draft) return;
  const button = $<HTMLButtonElement>('check');
  button.disabled = true;
  $('report').textContent = 'Đang kiểm tra với toàn bộ bộ câu hỏi…';
  try {
    const res = await api<Report & { problems?: { message: string }[] }>(
      'POST',
      `/api/content/drafts/${draft.id}/check`,
    );
    if (res.status !== 200) {
      $('report').textContent = (res.json.problems ?? []).map((p) => p.message).join('; ') || 'Không kiểm tra được.';
      return;
    }
    renderReport(res.json);
  } finally {
    button.disabled = false;
  }
}

function renderReport(report: Report): void {
  const box = $('report');
  box.replaceChildren();
  box.append(
    el(
      'p',
      report.passed
        ? `Đạt mọi ngưỡng (${report.ms} ms).`
        : `Chưa đạt ${report.misses.length} ngưỡng: chỉ quản trị viên được xuất bản, kèm lý do.`,
      report.passed ? 'ok' : 'bad',
    ),
  );
  const table = el('table', undefined, 'figures');
  const head = table.createTHead().insertRow();
  for (const h of ['Chỉ số', 'Ngưỡng', 'Đang dùng', 'Bản nháp']) head.append(el('th', h));
  const body = table.createTBody();
  for (const t of report.thresholds) {
    const row = body.insertRow();
    row.insertCell().textContent = t.label;
    row.insertCell().textContent = t.min !== undefined ? `≥ ${pct(t.min)}` : `≤ ${pct(t.max ?? 0)}`;
    row.insertCell().textContent = pct(report.live[t.figure]);
    const cell = row.insertCell();
    cell.textContent = pct(report.draft[t.figure]);
    if (report.misses.some((m) => m.figure === t.figure)) cell.className = 'bad';
  }
  box.append(table);
  if (report.forbidden && report.forbidden.length > 0)
    box.append(el('p', `Ngoài quyền của anh/chị: ${report.forbidden.join(', ')}`, 'bad'));
  const byKind = new Map<string, Report['changes']>();
  for (const c of report.changes) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
  box.append(el('h3', `${report.changes.length} câu trả lời thay đổi`));
  for (const [kind, changes] of byKind) {
    const details = el('details');
    details.open = kind !== 'moved' || changes.length < 10;
    details.append(el('summary', `${KINDS[kind]}: ${changes.length}`));
    const ul = el('ul', undefined, 'changes');
    for (const c of changes.slice(0, 200))
      ul.append(el('li', `${c.question} — ${c.before ?? 'không trả lời'} → ${c.after ?? 'không trả lời'}`));
    details.append(ul);
    box.append(details);
  }
  $('publish-form').hidden = false;
  $('override-label').hidden = report.passed || !me.roles.includes('admin');
}

async function publish(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (!draft) return;
  const form = event.target as HTMLFormElement;
  const note = (form.elements.namedItem('note') as HTMLInputElement).value.trim();
  const reason = (form.elements.namedItem('reason') as HTMLInputElement).value.trim();
  $('publish-result').textContent = 'Đang kiểm tra và xuất bản…';
  const res = await api<{ version?: number; message?: string; error?: string }>(
    'POST',
    `/api/content/drafts/${draft.id}/publish`,
    { note, expectedLive: live, ...(reason ? { override: { reason } } : {}) },
  );
  if (res.status === 201) {
    $('publish-result').textContent = `Đã xuất bản phiên bản ${res.json.version}. Bot trả lời theo nội dung mới.`;
    localStorage.removeItem(DRAFT_KEY);
    draft = undefined;
    $('draft-info').textContent = 'Chưa có bản nháp.';
    $<HTMLButtonElement>('check').disabled = true;
    if (editingFrom) await mark(editingFrom, 'handled');
    editingFrom = undefined;
    await loadVersions();
  } else
    $('publish-result').textContent =
      res.json.message ?? (res.status === 400 ? 'Cần ghi chú từ 3 ký tự.' : 'Chưa xuất bản được.');
}

async function loadVersions(): Promise<void> {
  const { json } = await api<{
    live: number;
    cycle?: { planYear: number; allPassed: boolean };
    versions: { version: number; author: string; note: string; createdAt: string; restoredFrom: number | null }[];
  }>('GET', '/api/content');
  live = json.live;
  $('live-version').textContent = String(live);
  const reminder = $('cycle-reminder');
  reminder.hidden = !json.cycle?.allPassed;
  reminder.textContent = json.cycle?.allPassed
    ? `Mọi hạn đã biết (kế hoạch năm ${json.cycle.planYear}) đã qua và chưa có hạn của năm kế hoạch mới. Khi có văn bản định hướng mới, hãy thêm hạn ở mục "Sửa mục có sẵn".`
    : '';
  const list = $('versions');
  if (json.versions.length === 0) return void list.replaceChildren(el('li', '0 · nội dung gốc đi kèm phần mềm'));
  list.replaceChildren(
    ...json.versions.map((v) => {
      const item = el(
        'li',
        `${v.version} · ${dateVi(v.createdAt)} · ${v.note}${v.restoredFrom === null ? '' : ` (khôi phục ${v.restoredFrom})`}`,
      );
      if (me.roles.includes('admin') && v.version !== live) {
        const restore = el('button', 'Khôi phục');
        restore.type = 'button';
        restore.addEventListener('click', () => {
          void (async () => {
            await api('POST', `/api/content/versions/${v.version}/restore`, {
              note: `Khôi phục phiên bản ${v.version}`,
            });
            await loadVersions();
          })();
        });
        item.append(' ', restore);
      }
      return item;
    }),
  );
}

async function main(): Promise<void> {
  const host = await connectToTeams();
  token = host.token;
  $('mode').textContent = host.inTeams ? 'Trong Microsoft Teams' : 'Chế độ thử (ngoài Teams)';
  const who = await api<typeof me>('GET', '/api/officers/me');
  if (who.status === 200) me = who.json;
  await loadVersions();
  const current = await api<{ content: { entries: Entry[] } }>('GET', `/api/content/versions/${live}`);
  if (current.status === 200) fillEntrySelect(current.json.content.entries);
  $('app').hidden = false;
  $('u-filters').addEventListener('change', () => void loadGroups().catch(reportError));
  $('entry-form').addEventListener('submit', (e) => void saveEntry(e).catch(reportError));
  $('entry-cancel').addEventListener('click', () => ($('editor').hidden = true));
  $('edit-open').addEventListener('click', () => void editEntry().catch(reportError));
  $('check').addEventListener('click', () => void check().catch(reportError));
  $('publish-form').addEventListener('submit', (e) => void publish(e).catch(reportError));
  const answer = document.querySelector<HTMLTextAreaElement>('#entry-form textarea[name="answer"]')!;
  answer.addEventListener('input', () => ($('answer-count').textContent = `${answer.value.length}/1500 ký tự`));
  await loadGroups();
}

void main().catch(reportError);
