/**
 * An owner's answers to the whole registration form, from the first message to the consent
 * (volunteered details in the first message, a skipped email and a skipped item on the way);
 * "xác nhận" then saves it.
 */
export const FILLED_REGISTRATION: readonly string[] = [
  'tôi muốn đăng ký, HTX mây tre Phúc Lâm ở Bắc Giang, sđt 0912 345 678',
  'điền luôn',
  '0101234567',
  'xã Phúc Lâm',
  'thôn 3',
  'Nguyễn Văn An',
  'bỏ qua',
  '2',
  'Máy đan tự động',
  'Tăng năng suất',
  'Mua 2 máy đan',
  'bỏ qua',
  'quý 2/2027',
  '1 tỷ',
  '300 triệu',
  '700 triệu',
  '0',
  'thêm 10 việc làm',
  'đồng ý',
];
