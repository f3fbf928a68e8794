import { describe, expect, it } from 'vitest';
import { detectIntent } from '../../dialogs/intents.ts';
import { eligibilityValues, pickChoice, registrationValues } from '../../dialogs/main-dialog.ts';
import { bundledKnowledgeBase } from '../eval/evaluate.ts';
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

  it.each([
    'muốn đăng ký hộ kinh doanh thì làm ở đâu',
    'tôi muốn đăng ký kinh doanh',
    'hạn đăng ký là khi nào',
    'đăng ký xe máy ở đâu',
    'ai được hỗ trợ khuyến công',
    'mức hỗ trợ máy móc',
    'hồ sơ đăng ký gồm những gì',
    'bản đăng ký cần giấy tờ gì',
  ])('leaves the question "%s" to the knowledge base', (text) => {
    expect(intent(text)).toBeUndefined();
  });
});

describe('pickChoice', () => {
  const kb = bundledKnowledgeBase();
  const ids = ['level-machinery', 'level-technology-line', 'level-demo-model'];
  const pick = (text: string) => pickChoice(analyze(text).folded.join(' '), ids, kb);
  it.each([
    ['2', ['level-technology-line']],
    ['số 3', ['level-demo-model']],
    ['cái thứ hai', ['level-technology-line']],
    ['cai dau tien', ['level-machinery']],
    ['ý cuối', ['level-demo-model']],
    ['cả ba', ids],
    ['Mức hỗ trợ cho dây chuyền công nghệ', ['level-technology-line']],
  ])('"%s" picks %j', (text, expected) => {
    expect(pick(text)).toEqual(expected);
  });

  it('picks nothing that was not offered', () => {
    expect(pick('số 7')).toBeUndefined();
    expect(pick('hạn nộp hồ sơ')).toBeUndefined();
  });
});

describe('facts from the conversation prefill the forms', () => {
  it('maps an unregistered household to its own type, not to "Hộ kinh doanh"', () => {
    expect(eligibilityValues({ entity: 'unregistered', province: 'Huế', locality: 'phuong' })).toEqual({
      entityType: 'chua-dang-ky',
      province: 'Huế',
      locality: 'phuong',
    });
    expect(registrationValues({ entity: 'unregistered', want: 'line', amount: 2e9 })).toEqual({
      supportArea: 'may-moc-thiet-bi',
      budgetTotal: 2e9,
    });
  });
});
