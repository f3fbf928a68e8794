/**
 * Concept groups: phrases (folded, space-separated syllables) that mean the same thing to a
 * facility owner. A matched phrase adds its concept as an extra feature, in questions and in
 * the index alike, so "deadline", "khi nào" and "trước ngày nào" meet on one feature.
 */
export const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  deadline: ['han', 'thoi han', 'han chot', 'deadline', 'khi nao', 'bao gio', 'truoc ngay', 'ngay nao', 'luc nao', 'cham nhat', 'het han', 'thoi diem', 'moc thoi gian', 'han cuoi', 'con bao nhieu ngay', 'con may ngay', 'thang may', 'ngay may'],
  machinery: ['may moc', 'thiet bi', 'day chuyen', 'may', 'may moc thiet bi', 'cong nghe', 'mua may', 'doi moi may'],
  amount: ['bao nhieu tien', 'muc ho tro', 'kinh phi', 'toi da', 'bao nhieu', 'ty le', 'phan tram', 'muc', 'duoc bao nhieu', 'bao nhieu phan tram', 'so tien', 'ngan sach', 'trieu', 'ty', 'muc tran', 'tran'],
  eligibility: ['dieu kien', 'doi tuong', 'ai duoc', 'co duoc', 'du dieu kien', 'thuoc dien', 'duoc ho tro khong', 'duoc huong', 'co thuoc', 'loai hinh', 'ai co the', 'co the dang ky'],
  register: ['dang ky', 'nop', 'gui', 'lam ho so', 'xin ho tro', 'de nghi ho tro', 'nop ho so', 'dang ki', 'lam sao de duoc'],
  dossier: ['ho so', 'giay to', 'thu tuc', 'bo ho so', 'can chuan bi'],
  agency: ['co quan', 'cuc', 'don vi nao', 'ai quan ly', 'dau moi', 'ben nao', 'cho nao', 'o dau', 'lien he'],
  environment: ['moi truong', 'o nhiem', 'xu ly chat thai', 'nuoc thai', 'khi thai', 'xu ly o nhiem', 'san xuat sach hon', 'sach hon'],
  demo: ['mo hinh', 'trinh dien', 'mo hinh trinh dien', 'thi diem', 'trinh dien ky thuat'],
  training: ['dao tao', 'tap huan', 'day nghe', 'hoc nghe', 'nguon nhan luc', 'boi duong', 'nang cao nang luc'],
  fair: ['hoi cho', 'trien lam', 'gian hang', 'phong trung bay', 'xuc tien thuong mai', 'quang ba'],
  consulting: ['tu van', 'thong tin', 'marketing', 'bao bi', 'mau ma', 'chuyen doi so', 'truyen thong', 'huong dan lap du an'],
  product: ['san pham tieu bieu', 'binh chon', 'giay chung nhan', 'san pham cong nghiep nong thon tieu bieu', 'ocop'],
  cluster: ['cum cong nghiep', 'ccn', 'quy hoach chi tiet', 'ha tang'],
  area: ['linh vuc', 'mang', 'noi dung ho tro', 'huong ho tro', 'chuong trinh', 'hang muc'],
  location: ['xa', 'phuong', 'dac khu', 'dia ban', 'vung', 'tinh', 'thanh pho', 'o thanh pho', 'nong thon', 'huyen'],
  province: ['tinh', 'sap nhap', 'sat nhap', 'hop nhat', 'tinh moi', 'ten tinh', '34 tinh', '63 tinh', 'thanh pho truc thuoc trung uong'],
  change: ['thay doi', 'sua doi', 'bo sung', 'hien nay', 'bay gio', 'con ap dung', 'con hieu luc', 'cap nhat'],
  result: ['ket qua', 'giai ngan', 'da lam duoc', 'nam 2022', 'thanh tich', 'tong ket'],
  startup: ['thanh lap doanh nghiep', 'lap doanh nghiep', 'mo cong ty', 'thanh lap cong ty', 'khoi nghiep'],
  counterpart: ['von doi ung', 'doi ung', 'von tu co', 'tu bo tien', 'phan con lai', 'tu chi tra'],
  proposal: ['de an', 'du an', 'ke hoach', 'de xuat'],
  appraisal: ['tham dinh', 'xet duyet', 'duyet', 'cham diem', 'ai duyet'],
  greeting: ['xin chao', 'chao', 'hello', 'hi', 'alo', 'chao ban', 'chao bot'],
  thanks: ['cam on', 'thank', 'thanks', 'cam on nhieu', 'tks', 'thank you'],
};

/**
 * Words for the products and workshops of rural industry. They are not features (they say
 * nothing about which entry fits), but they are domain words: a question about "xưởng mộc" or
 * "nước mắm" is not out of scope just because no entry names that product.
 */
export const DOMAIN_WORDS: readonly string[] = ['xuong', 'xuong san xuat', 'go', 'do go', 'moc', 'gom', 'gom su', 'det', 'det may', 'may tre', 'may tre dan', 'nuoc mam', 'banh trang', 'che', 'nhang', 'son mai', 'theu', 'co khi', 'ren', 'duc dong', 'dan lat', 'thu cong my nghe', 'che bien go', 'bun', 'mien', 'ruou', 'gach', 'cnc', 'may cat', 'may ep', 'may say', 'lo say'];
