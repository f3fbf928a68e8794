import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eligibilityVerdict } from '../../dialogs/index.ts';
import { parseEntityType } from '../../dialogs/registration-fields.ts';
import { inProcessBot } from '../eval/owner-eval.ts';

describe('the eligibility check', () => {
  it('keeps an unregistered household apart from "Hộ kinh doanh" and says how to get in', () => {
    expect(parseEntityType('hộ gia đình chưa đăng ký')).toEqual({ ok: true, value: 'chua-dang-ky' });
    expect(parseEntityType('hộ kinh doanh')).toEqual({ ok: true, value: 'hkd' });
    const verdict = eligibilityVerdict({ entityType: 'chua-dang-ky' });
    expect(verdict.verdict).toBe('not-eligible');
    expect(verdict.reasons.join(' ')).toMatch(/đăng ký hộ kinh doanh/);
  });

  it('stops asking once the verdict no longer depends on the answers', async () => {
    const bot = inProcessBot();
    const id = randomUUID();
    expect(await bot.say(id, 'kiểm tra điều kiện')).toMatch(/loại hình/);
    const reply = await bot.say(id, 'chưa đăng ký kinh doanh');
    expect(reply).toMatch(/có vẻ không thuộc diện/);
    expect(reply).not.toMatch(/tỉnh, thành phố nào/);
  });

  it('does not ask again what the owner already said', async () => {
    const bot = inProcessBot();
    const id = randomUUID();
    await bot.say(id, 'em là hộ kinh doanh ở Bắc Giang, xã Lục Nam, làm mỳ gạo');
    const reply = await bot.say(id, 'kiểm tra điều kiện');
    expect(reply).toMatch(
      /ghi nhận luôn: Loại hình cơ sở: Hộ kinh doanh; Tỉnh, thành phố: Bắc Ninh; Xã, phường hay đặc khu: xã/,
    );
    expect(reply).not.toMatch(/thuộc loại hình nào/);
  });

  it('asks about the craft village of a ward in a centrally-run city before judging, and numbers the questions every check asks', async () => {
    const bot = inProcessBot();
    const id = randomUUID();
    await bot.say(id, 'kiểm tra điều kiện');
    expect(await bot.say(id, 'hợp tác xã')).toMatch(/^Bước 2\/4: .*tỉnh, thành phố nào/m);
    expect(await bot.say(id, 'TP Hồ Chí Minh')).toMatch(/^Bước 3\/4: .*xã, phường hay đặc khu/m);
    // The craft village decides it: asked, unnumbered (only wards of such cities are asked it).
    const village = await bot.say(id, 'phường');
    expect(village).toMatch(/làng nghề/);
    expect(village).not.toMatch(/không thuộc diện|Bước/);
    expect(await bot.say(id, 'có')).toMatch(/^Bước 4\/4: .*ngành/m);
    expect(await bot.say(id, 'đan lát mây tre')).toMatch(/có khả năng thuộc diện được hỗ trợ[\s\S]*làng nghề/);

    const other = randomUUID();
    for (const text of ['kiểm tra điều kiện', 'hộ kinh doanh', 'Hà Nội', 'phường']) await bot.say(other, text);
    expect(await bot.say(other, 'không')).toMatch(/có vẻ không thuộc diện[\s\S]*làng nghề được công nhận/);
    expect(eligibilityVerdict({ entityType: 'hkd', province: 'Hà Nội', locality: 'phuong' }).verdict).not.toBe(
      'not-eligible',
    );
  });
});
