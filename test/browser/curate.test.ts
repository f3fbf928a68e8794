import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, useBrowserSuite } from '../helpers/browser.ts';
import { say } from '../helpers/server.ts';

/** What owners ask that the bundled content does not answer: the Sở's office hours. */
const ASKED = [
  'sở công thương bắc ninh làm việc mấy giờ',
  'so cong thuong bac ninh lam viec may gio',
  'sở công thương bắc ninh làm việc mấy giờ vậy',
];

const suite = useBrowserSuite('kc-curate-');
const open = (path: string) => suite.open(path);

describe("the curators' page, in Chromium at phone size", () => {
  it('turns a group of unanswered questions into a checked, published entry that the bot then answers', async () => {
    for (const [i, text] of ASKED.entries()) {
      const [reply] = await say(suite.server.url, `owner-${i}`, text, `owner-${i}`);
      expect(reply.text).toMatch(/chưa có thông tin/);
    }
    const { page, errors } = await open('/tab/curate');
    const group = page.locator('.group').filter({ hasText: '3 lần' });
    await group.waitFor();
    expect(await group.locator('.group-facts').textContent()).toMatch(/3 lần · .* · Web/);
    // The bundled deadlines (plan year 2024) are all past: curators are reminded to enter the next cycle.
    expect(await page.locator('#cycle-reminder').textContent()).toMatch(/kế hoạch năm 2024\) đã qua/);
    await page.screenshot({ path: join(ARTIFACTS, 'curate-groups-phone.png'), fullPage: true });

    await group.getByRole('button', { name: 'Soạn mục mới' }).click();
    const form = page.locator('#entry-form');
    await expect.poll(() => form.locator('textarea[name="questions"]').inputValue()).toContain(ASKED[0]);
    await form.locator('input[name="id"]').fill('hours-so-cong-thuong-bac-ninh');
    await form.locator('input[name="title"]').fill('Giờ làm việc của Sở Công Thương Bắc Ninh');
    await form.locator('input[name="short"]').fill('Giờ làm việc Sở Công Thương Bắc Ninh');
    await form
      .locator('textarea[name="answer"]')
      .fill('Dạ, Sở Công Thương Bắc Ninh (giờ thử nghiệm) làm việc từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu.');
    await form
      .locator('textarea[name="questions"]')
      .fill(
        [
          ...ASKED,
          'giờ làm việc sở công thương bắc ninh',
          'mấy giờ sở công thương bắc ninh mở cửa',
          'sct bac ninh lam viec gio nao',
        ].join('\n'),
      );
    await form.locator('input[name="document"]').fill('Thông báo của Sở Công Thương Bắc Ninh (thử nghiệm)');
    await form.locator('input[name="period"]').fill('hiện hành');
    await form.getByRole('button', { name: 'Lưu vào bản nháp' }).click();
    // The short title is too long for a button: the problem shows beside that field, nothing is saved.
    const shortProblem = form.locator('[data-field="short"] .problem');
    await expect.poll(() => shortProblem.textContent()).toMatch(/20/);
    await page.screenshot({ path: join(ARTIFACTS, 'curate-entry-problem-phone.png'), fullPage: true });
    await form.locator('input[name="short"]').fill('Giờ làm việc SCT');
    await form.getByRole('button', { name: 'Lưu vào bản nháp' }).click();
    await expect.poll(() => page.locator('#entry-result').textContent()).toMatch(/Đã lưu mục/);

    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    const report = page.locator('#report');
    await expect.poll(() => report.textContent(), { timeout: 20_000 }).toMatch(/Đạt mọi ngưỡng/);
    expect(await report.textContent()).toMatch(/Câu trả lời mới: \d+/);
    await page.screenshot({ path: join(ARTIFACTS, 'curate-check-phone.png'), fullPage: true });

    await page.locator('#publish-form input[name="note"]').fill('Thêm giờ làm việc của Sở Công Thương Bắc Ninh');
    await page.getByRole('button', { name: 'Xuất bản' }).click();
    await expect
      .poll(() => page.locator('#publish-result').textContent(), { timeout: 20_000 })
      .toMatch(/Đã xuất bản phiên bản 1/);
    await expect.poll(() => page.locator('#live-version').textContent()).toBe('1');

    // The bot answers the owners' question from the new entry, and the group is handled.
    const [after] = await say(suite.server.url, 'owner-again', ASKED[1], 'owner-again');
    expect(after.text).toContain('7 giờ 30');
    await expect.poll(() => page.locator('.group').filter({ hasText: '3 lần' }).count()).toBe(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    // The one refused save (422) is logged by Chromium itself; the page's own code raised nothing.
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    expect(errors).toHaveLength(1);
  }, 60_000);

  it("takes a new plan year's dates into a deadline entry, which the bot then counts down", async () => {
    const { page, errors } = await open('/tab/curate');
    await page.locator('#edit-entry option[value="deadline-registration-report"]').waitFor({ state: 'attached' });
    await page.selectOption('#edit-entry', 'deadline-registration-report');
    await page.getByRole('button', { name: 'Sửa', exact: true }).click();
    const form = page.locator('#entry-form');
    await expect.poll(() => form.locator('input[name="id"]').inputValue()).toBe('deadline-registration-report');
    const deadlines = form.locator('textarea[name="deadlines"]');
    expect(await deadlines.inputValue()).toContain('2023-06-20 | 2024');
    await deadlines.fill(`${await deadlines.inputValue()}\nGửi báo cáo đăng ký kế hoạch năm 2027 | 2026-12-20 | 2027`);
    await form.getByRole('button', { name: 'Lưu vào bản nháp' }).click();
    await expect.poll(() => page.locator('#entry-result').textContent()).toMatch(/Đã lưu mục/);
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await expect.poll(() => page.locator('#report').textContent(), { timeout: 20_000 }).toMatch(/Đạt mọi ngưỡng/);
    await page.locator('#publish-form input[name="note"]').fill('Hạn của kế hoạch năm 2027');
    await page.getByRole('button', { name: 'Xuất bản' }).click();
    await expect
      .poll(() => page.locator('#publish-result').textContent(), { timeout: 20_000 })
      .toMatch(/Đã xuất bản phiên bản 2/);
    await expect.poll(() => page.locator('#cycle-reminder').isHidden()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'curate-new-cycle-phone.png'), fullPage: true });
    const [reply] = await say(
      suite.server.url,
      'deadline',
      'Gửi báo cáo đăng ký kế hoạch khuyến công quốc gia',
      'deadline',
    );
    const [detail] = await say(suite.server.url, 'deadline', 'Xem chi tiết', 'deadline');
    expect(`${reply.text}\n${detail.text}`).toMatch(/20\/12\/2026 \(kế hoạch năm 2027\), còn 24 ngày/);
    expect(errors).toEqual([]);
  }, 60_000);
});
