import { describe, expect, it } from 'vitest';
import { looksLikeQuestion } from '../../dialogs/questions.ts';
import { analyze } from '../../knowledge/index.ts';

const isQuestion = (text: string) => looksLikeQuestion(text, analyze(text).folded.join(' '));

describe('looksLikeQuestion', () => {
  it.each([
    // Saved as answers before issue 20.
    'cho em hỏi vốn đối ứng là gì vậy ạ?',
    'cho em hỏi vốn đối ứng là gì vậy ạ',
    'máy cũ có được hỗ trợ không',
    'mua máy đã qua sử dụng có được hỗ trợ không ạ',
    'vốn đối ứng là gì',
    'hiệu quả dự kiến ghi thế nào',
    'được hỗ trợ bao nhiêu',
    'xin hỏi hạn nộp khi nào',
    'hộ kinh doanh có cần mã số thuế không',
    'tai sao phai ghi dia chi',
    'co duoc ho tro khong',
    'ghi gì?',
    // A topic named as a question, without a question word: taken for the sector "cơ khí" before.
    'mức hỗ trợ máy móc',
    'hạn nộp hồ sơ đề án',
  ])('"%s" is a question', (text) => {
    expect(isQuestion(text)).toBe(true);
  });

  it.each([
    'Xưởng cơ khí Minh Phát',
    'Tăng năng suất, tạo việc làm cho người không có việc',
    'Mua 2 máy dệt và đào tạo 10 lao động',
    'vốn vay ngân hàng',
    'không có',
    'không đồng ý',
    'chưa có',
    'Nguyễn Thị Ai',
    '1 tỷ 2',
    'thôn Đông, xã Tân Mỹ',
    'máy móc cơ khí',
    'Hỗ trợ mua máy sấy',
  ])('"%s" is an answer', (text) => {
    expect(isQuestion(text)).toBe(false);
  });
});
