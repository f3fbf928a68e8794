import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

interface Item {
  code: string | null;
  status: string;
  province: string | null;
  supportArea: string | null;
  createdAt: string;
  submittedAt: string | null;
  data: Record<string, unknown>;
  /** The detail as the server renders it from the registration's catalogue. */
  view?: { key: string; label: string; group: string; groupLabel: string; value: string }[];
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
const charts: Record<string, Chart> = {};

/** Teams, if the page is inside it (initialize raced against 3 s); otherwise standalone. */
async function connectToTeams(): Promise<boolean> {
  // Teams hosts the tab in a frame (or a webview with a parent); a top-level page is standalone.
  if (window.parent === window && !navigator.userAgent.includes('Teams')) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 3000));
  try {
    // Loaded only inside a host: the library fetches Teams' domain list as soon as it loads.
    const { app, authentication } = await import('@microsoft/teams-js');
    const inTeams = await Promise.race([app.initialize().then(() => true), timeout]);
    if (!inTeams) return false;
    const context = await app.getContext();
    applyTheme(context.app.theme);
    document.documentElement.lang = context.app.locale?.slice(0, 2) || 'vi';
    app.registerOnThemeChangeHandler(applyTheme);
    token = await authentication.getAuthToken();
    return true;
  } catch {
    return false;
  }
}

function applyTheme(theme: string | undefined): void {
  document.body.classList.toggle('dark', theme === 'dark' || theme === 'contrast');
}

function query(): URLSearchParams {
  const form = new FormData($<HTMLFormElement>('filters'));
  const params = new URLSearchParams();
  for (const [k, v] of form) if (typeof v === 'string' && v !== '') params.set(k, v);
  params.set('sort', sort);
  params.set('dir', dir);
  return params;
}

async function api(path: string): Promise<Response> {
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status === 401) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    refuse(body.message);
    throw new Error('unauthorized');
  }
  return res;
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

async function refresh(): Promise<void> {
  const answer = (await (await api(`/api/registrations?${query()}`)).json()) as ListAnswer;
  const scope = answer.scope;
  $('summary').textContent =
    scope && !scope.all && scope.provinces.length === 0
      ? 'Tài khoản của anh/chị chưa được phân công tỉnh, thành nào nên chưa xem được đăng ký. Xin liên hệ quản trị viên của Sở Công Thương.'
      : `${answer.total} đăng ký phù hợp${scope && !scope.all ? ` (${scope.provinces.join(', ')})` : ''}`;
  const body = $<HTMLTableElement>('list').tBodies[0];
  body.replaceChildren();
  for (const item of answer.items) {
    const row = body.insertRow();
    row.tabIndex = 0;
    const cells = [
      item.code ?? '(nháp)',
      String(item.data.facilityName ?? ''),
      item.province ?? '',
      item.supportArea ? (AREAS[item.supportArea] ?? item.supportArea) : '',
      item.status === 'submitted' ? 'Đã gửi' : 'Nháp',
      item.createdAt.slice(0, 10),
    ];
    for (const c of cells) row.insertCell().textContent = c;
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

async function showDetail(code: string): Promise<void> {
  const item = (await (await api(`/api/registrations/${encodeURIComponent(code)}`)).json()) as Item;
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
    dd.textContent = row.value;
    list.append(dt, dd);
  }
  section.append(title, ...groups);
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
  const inTeams = await connectToTeams();
  $('mode').textContent = inTeams ? 'Trong Microsoft Teams' : 'Chế độ thử (ngoài Teams)';
  $('app').hidden = false;
  const areas = $<HTMLSelectElement>('f-area');
  for (const [id, label] of Object.entries(AREAS)) areas.add(new Option(label, id));
  $('filters').addEventListener('change', () => void refresh().catch(() => undefined));
  $('f-q').addEventListener('input', () => void refresh().catch(() => undefined));
  $('download').addEventListener('click', () => void download().catch(() => undefined));
  for (const button of document.querySelectorAll<HTMLButtonElement>('th button[data-sort]')) {
    button.addEventListener('click', () => {
      const key = button.dataset.sort!;
      dir = sort === key && dir === 'desc' ? 'asc' : 'desc';
      sort = key;
      void refresh().catch(() => undefined);
    });
  }
  const code = new URLSearchParams(location.search).get('code');
  await refresh().catch(() => undefined);
  if (code) await showDetail(code).catch(() => undefined);
}

void main();
