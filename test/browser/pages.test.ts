import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, useBrowserSuite } from '../helpers/browser.ts';
import { FILLED_REGISTRATION } from '../helpers/registration-answers.ts';

const suite = useBrowserSuite('kc-browser-', { acceptDownloads: true });
/** A page that records script errors. */
const open = (path: string) => suite.open(path);

/** Types a message like a person and waits for the bot's answer. */
async function chat(page: Page, text: string): Promise<string> {
  const before = await page.locator('.msg.bot').count();
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('.msg.bot').length > n && (document.getElementById('typing') as HTMLElement).hidden,
    before,
  );
  return (await page.locator('.msg.bot').last().textContent()) ?? '';
}

describe('the web chat at /, in Chromium', () => {
  it('answers in a new conversation when the stored one belongs to another user id', async () => {
    const { page, errors } = await open('/');
    // A form started: the conversation now holds something of this user's.
    expect(await chat(page, 'tôi muốn đăng ký')).toMatch(/đăng ký/i);
    const first = await page.evaluate(() => localStorage.getItem('kc.conversationId'));
    // Another tab, or a hand-edited storage, gave this page another user id.
    await page.evaluate(() => localStorage.setItem('kc.userId', 'user-from-another-tab'));
    await page.reload();
    expect(await chat(page, 'vốn đối ứng là gì')).toMatch(/vốn đối ứng/);
    expect(await page.evaluate(() => localStorage.getItem('kc.conversationId'))).not.toBe(first);
    // Chromium reports the refused request itself; no script failed.
    expect(errors.filter((e) => !e.includes('status of 403'))).toEqual([]);
  });

  it('answers a typed question, sends a suggestion button’s value, and registers a facility', async () => {
    const { page, errors } = await open('/');
    expect(page.locator('.msg.bot').first()).toBeTruthy();
    expect(await page.getAttribute('#messages', 'aria-live')).toBe('polite');
    expect(await page.locator('label[for="input"]').count()).toBe(1);

    expect(await chat(page, 'mức hỗ trợ máy móc là bao nhiêu?')).toContain('Thông tư 28/2018/TT-BTC');
    const button = page.locator('#suggestions button').first();
    const value = (await button.textContent()) ?? '';
    const before = await page.locator('.msg.bot').count();
    await button.click();
    await page.waitForFunction((n) => document.querySelectorAll('.msg.bot').length > n, before);
    expect(await page.locator('.msg.user').last().textContent()).not.toBe('');
    expect(value.length).toBeGreaterThan(0);

    const answers = FILLED_REGISTRATION;
    for (const a of answers) await chat(page, a);
    expect(await chat(page, 'xác nhận')).toMatch(/KC-2026-\d{6}/);
    await page.screenshot({ path: join(ARTIFACTS, 'webchat.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe('the web chat reloaded in the middle of the form', () => {
  it('shows the conversation and the current question, so the next button answers that question', async () => {
    const { page, errors } = await open('/');
    await chat(page, 'tôi muốn đăng ký');
    await chat(page, 'điền luôn');
    await chat(page, 'Cơ sở Mộc Hưng');
    expect(await page.locator('.msg.bot').last().textContent()).toMatch(/Bước 2\/21: Loại hình/);
    await page.reload();
    // The same conversation, with the question the server waits for, and its buttons.
    expect(await page.locator('.msg.bot').last().textContent()).toMatch(/Bước 2\/21: Loại hình/);
    expect(await page.locator('.msg.user').allTextContents()).toContain('Cơ sở Mộc Hưng');
    const before = await page.locator('.msg.bot').count();
    await page.locator('#suggestions button', { hasText: 'Hộ kinh doanh' }).click();
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('.msg.bot').length > n && (document.getElementById('typing') as HTMLElement).hidden,
      before,
    );
    expect(await page.locator('.msg.bot').last().textContent()).toMatch(/Bước 3\/21: Mã số thuế/);

    // "Bắt đầu lại" offers to discard or keep the draft.
    const count = await page.locator('.msg.bot').count();
    await page.click('#restart');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('.msg.bot').length > n && (document.getElementById('typing') as HTMLElement).hidden,
      count,
    );
    expect(await page.locator('.msg.bot').last().textContent()).toMatch(/bỏ bản đăng ký đang điền, hay giữ lại/);
    expect(errors).toEqual([]);
  });
});

describe('the officers’ tab at /tab, standalone in development, in Chromium', () => {
  it('lists the registration, filters, draws the charts, shows a detail and downloads XLSX', async () => {
    const { page, errors } = await open('/tab');
    const row = page.locator('#list tbody tr', { hasText: 'HTX mây tre Phúc Lâm' });
    await row.waitFor({ timeout: 10_000 });
    expect(await page.textContent('#mode')).toContain('ngoài Teams');

    await page.selectOption('#f-area', 'nguon-nhan-luc');
    await page.waitForFunction(() => document.querySelectorAll('#list tbody tr').length === 0);
    await page.selectOption('#f-area', 'may-moc-thiet-bi');
    await row.waitFor();
    expect(await page.textContent('#summary')).toContain('1 đăng ký');

    // The chart drew green bars.
    const drawn = await page.evaluate(() => {
      const canvas = document.getElementById('chart-area') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let green = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i] === 0x1b && data[i + 1] === 0x7a && data[i + 2] === 0x3d) green++;
      return green;
    });
    expect(drawn).toBeGreaterThan(50);

    await row.click();
    await page.locator('#detail h2').waitFor();
    expect(await page.textContent('#detail')).toContain('0912345678');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const file = join(ARTIFACTS, 'export.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const values = workbook.worksheets[0].getRow(2).values as unknown[];
    expect(values).toContain('HTX mây tre Phúc Lâm');
    await page.screenshot({ path: join(ARTIFACTS, 'tab.png'), fullPage: true });
    expect(errors).toEqual([]);

    const audit = await suite.server.stores.audit.list(5);
    expect(audit.some((e) => e.details.via === 'tab')).toBe(true);
  });

  it('pages through the list and takes a registration through its stages, with a note, a correction and its history, at phone size', async () => {
    const stores = suite.server.stores;
    const base = Date.parse('2026-09-01T00:00:00Z');
    let code = '';
    for (let i = 0; i < 60; i++) {
      const draft = await stores.registrations.saveDraft(
        {
          userKey: `webchat:page-${i}`,
          channel: 'webchat',
          schemaVersion: 1,
          data: { facilityName: `Làng nghề Gốm ${i}`, consent: true, budgetCounterpart: 0 },
          province: 'Huế',
          supportArea: 'tu-van-thong-tin',
        },
        new Date(base + i * 1000),
      );
      const submitted = await stores.registrations.submit(draft.id, new Date(base + i * 1000));
      if (i === 0) code = submitted.code!;
    }
    const { page, errors } = await open('/tab');
    await page.locator('#list tbody tr').first().waitFor({ timeout: 10_000 });
    await page.fill('#f-q', 'lang nghe gom');
    await page.waitForFunction(() => document.getElementById('summary')!.textContent.startsWith('60 '));
    expect(await page.textContent('#page-of')).toBe('Trang 1/2');
    await page.click('#next');
    await page.waitForFunction(() => document.getElementById('page-of')!.textContent === 'Trang 2/2');
    expect(await page.locator('#list tbody tr').count()).toBe(10);
    // The oldest, on the last page, with its flag.
    const row = page.locator('#list tbody tr', { hasText: 'Làng nghề Gốm 0' });
    expect(await row.textContent()).toContain('Thiếu vốn đối ứng');
    await row.click();
    await page.locator('#detail h2').waitFor();

    // Received, then needs documents: the text box asks what is missing.
    await page.selectOption('#detail select[name=to]', 'received');
    await page.click('#detail form:has(select[name=to]) button');
    await page.waitForFunction(() =>
      document.getElementById('detail')!.textContent.includes('Tình trạng: Đã tiếp nhận'),
    );
    await page.selectOption('#detail select[name=to]', 'needs-documents');
    await page.click('#detail form:has(select[name=to]) button');
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error')).toContain('cần bổ sung những gì');
    await page.fill('#detail textarea[name=text]', 'Bản sao đăng ký kinh doanh');
    await page.click('#detail form:has(select[name=to]) button');
    await page.waitForFunction(() => document.getElementById('detail')!.textContent.includes('Cần bổ sung hồ sơ'));
    expect(await page.isHidden('#error')).toBe(true);

    await page.fill('#detail textarea[name=note]', 'Đã gọi, cơ sở hẹn gửi tuần sau');
    await page.click('#detail form:has(textarea[name=note]) button');
    await page.waitForFunction(() => document.getElementById('detail')!.textContent.includes('ghi chú: Đã gọi'));
    await page.selectOption('#detail select[name=field]', 'budgetCounterpart');
    await page.fill('#detail input[name=value]', '200 triệu');
    await page.click('#detail form:has(select[name=field]) button');
    await page.waitForFunction(() => document.getElementById('detail')!.textContent.includes('cán bộ đã sửa'));
    // A web chat owner: the message waits for their next visit, as the form says before sending.
    await page.waitForFunction(() => document.querySelector('#detail .reach')!.textContent.includes('mở lại trang'));
    await page.fill('#detail textarea[name=message]', 'Mời anh/chị gửi bổ sung hồ sơ');
    await page.click('#detail form:has(textarea[name=message]) button');
    await page.waitForFunction(() =>
      document.getElementById('detail')!.textContent.includes('nhắn cơ sở: Mời anh/chị'),
    );
    const history = await page.locator('#detail .history li').allTextContents();
    expect(history).toHaveLength(5);
    expect(history[1]).toContain('cần bổ sung: Bản sao đăng ký kinh doanh');

    // Keyboard: a focused button shows the focus ring; buttons are large enough to tap.
    await page.focus('#detail form:has(textarea[name=note]) button');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineWidth);
    expect(ring).toBe('3px');
    const small = await page.evaluate(
      () =>
        [...document.querySelectorAll('button')].filter((b) => b.offsetParent && b.getBoundingClientRect().height < 44)
          .length,
    );
    expect(small).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'tab-officer-phone.png'), fullPage: true });
    // The refused move is answered 422, which Chromium reports as a failed resource; nothing else.
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
    expect((await stores.registrations.getByCode(code))!.stage).toBe('needs-documents');
  });

  it('shows a failing API as a message, not as the rows it showed before', async () => {
    const { page } = await open('/tab');
    await page.locator('#list tbody tr').first().waitFor({ timeout: 10_000 });
    await page.route('**/api/registrations?*', (route) => route.fulfill({ status: 503, body: '{}' }));
    await page.fill('#f-q', 'gom');
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error')).toContain('chưa tải được dữ liệu');
    expect(await page.locator('#list tbody tr').count()).toBe(0);
  });

  it('sends a content security policy limited to our origin, and frame ancestors limited to Teams on /tab', async () => {
    const tab = await fetch(`${suite.server.url}/tab`);
    const csp = tab.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
    const chatPage = await fetch(`${suite.server.url}/`);
    expect(chatPage.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
