import { describe, expect, it } from 'vitest';
import { detectIntent } from '../../dialogs/intents.ts';
import { analyze } from '../../knowledge/index.ts';

const intent = (text: string) => detectIntent(analyze(text).folded.join(' '));

describe('detectIntent', () => {
  it.each([
    ['tôi muốn đăng ký', 'register'],
    ['Tôi muốn đăng ký đề án', 'register'],
    ['dang ky de an', 'register'],
    ['mk muon dk', 'register'],
    ['làm sao để được hỗ trợ', 'register'],
    ['điền bản đăng ký', 'register'],
    ['cơ sở của tôi có được hỗ trợ không?', 'check-eligibility'],
    ['xuong cua minh co du dieu kien ko', 'check-eligibility'],
    ['Kiểm tra điều kiện', 'check-eligibility'],
    ['tiếp tục', 'resume'],
    ['lam tiep', 'resume'],
    ['xóa dữ liệu của tôi', 'delete-data'],
    ['bắt đầu lại', 'restart'],
    ['mã đăng ký của tôi', 'my-registration'],
    ['xem lại bản đăng ký', 'my-registration'],
    ['ma dang ky cua em la gi', 'my-registration'],
    ['em quên mã đăng ký', 'my-registration'],
    ['xem lai dang ky', 'my-registration'],
  ])('%s → %s', (text, expected) => {
    expect(intent(text)).toBe(expected);
  });

  it.each(['hạn đăng ký là khi nào', 'đăng ký xe máy ở đâu', 'ai được hỗ trợ khuyến công', 'mức hỗ trợ máy móc', 'hồ sơ đăng ký gồm những gì', 'bản đăng ký cần giấy tờ gì'])('leaves the question "%s" to the knowledge base', (text) => {
    expect(intent(text)).toBeUndefined();
  });
});
