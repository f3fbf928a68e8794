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

/**
 * Plain answers to every field of the form after "điền luôn", for Cơ sở Mộc Hưng's demonstration
 * model of 2 tỷ, up to the consent; the two amounts that make up the total vary between tests.
 */
export function mocHungAnswers(budget: { requested: string; counterpart: string }): string[] {
  return [
    'Cơ sở Mộc Hưng',
    'Hộ kinh doanh',
    '0101234567',
    'Hà Nam',
    'xã Kim Bảng',
    'thôn 2',
    'Phạm Văn Hưng',
    '0987654321',
    'bỏ qua',
    '1',
    'Mô hình sấy gỗ bằng năng lượng mặt trời',
    'Giảm độ ẩm gỗ nhanh hơn',
    'Xây lò sấy 50 m3',
    'bỏ qua',
    'quý 2/2027',
    '2 tỷ',
    budget.requested,
    budget.counterpart,
    '0',
    'Thêm 5 việc làm',
    'đồng ý',
  ];
}
