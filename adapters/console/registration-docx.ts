import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { RegistrationRecord } from '../../bot/stores.ts';
import {
  budgetMismatch,
  formatField,
  NOT_FILLED,
  REGISTRATION_FIELDS,
  type RegistrationKey,
} from '../../dialogs/index.ts';

const text = (v: unknown, fallback: string) => (v === undefined || v === null || v === '' ? fallback : String(v));

/** A line the Sở completes: what the outline asks for that the owner did not give. */
function guidance(what: string): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text: `[Cần bổ sung] ${what}`, italics: true, color: '7F6000' })],
    spacing: { after: 80 },
  });
}

/** A field as the catalogue formats it, or the guidance line when the owner gave nothing. */
function field(d: Record<string, unknown>, key: RegistrationKey, label?: string): Paragraph {
  const value = formatField(key, d);
  return value === NOT_FILLED
    ? guidance(`${label ?? fieldLabel(key)}: cơ sở chưa điền.`)
    : line(label ?? fieldLabel(key), value);
}

function line(label: string, value: string): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)],
    spacing: { after: 80 },
  });
}

function heading(title: string): Paragraph {
  return new Paragraph({ text: title, heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 } });
}

/** A field's label from the catalogue. */
const fieldLabel = (key: RegistrationKey) => LABELS.get(key) ?? key;
const LABELS = new Map<string, string>(REGISTRATION_FIELDS.map((f) => [f.key, f.label]));

function budgetTable(d: Record<string, unknown>): Table {
  const row = (label: string, value: string, bold = false) =>
    new TableRow({
      children: [
        new TableCell({
          width: { size: 60, type: WidthType.PERCENTAGE },
          children: [new Paragraph({ children: [new TextRun({ text: label, bold })] })],
        }),
        new TableCell({
          width: { size: 40, type: WidthType.PERCENTAGE },
          children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: value, bold })] })],
        }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      row('Tổng kinh phí thực hiện', formatField('budgetTotal', d), true),
      row('Kinh phí khuyến công quốc gia đề nghị hỗ trợ', formatField('budgetRequested', d)),
      row('Vốn đối ứng của đơn vị thụ hưởng', formatField('budgetCounterpart', d)),
      row('Nguồn khác', formatField('budgetOther', d)),
    ],
  });
}

/**
 * A registration laid out as the đề án outline of Thông tư 36/2013/TT-BCT (FACTS §5): implementing,
 * partner and beneficiary units and place; necessity and legal basis; objectives; scale and what
 * is new; content and schedule; budget; organisation; expected effects. What the owner filled is
 * shown as the catalogue formats it; where the outline asks for more, a "[Cần bổ sung]" line says
 * what the Sở completes. An amount mismatch the owner kept is recorded.
 */
export async function registrationDocx(r: RegistrationRecord): Promise<Buffer> {
  const d = r.data;
  const mismatch = budgetMismatch(d);
  const place = formatField('implementationPlace', d);
  const doc = new Document({
    creator: 'Trợ lý Khuyến công',
    title: `Bản đăng ký đề án khuyến công ${r.code ?? ''}`,
    styles: { default: { document: { run: { font: 'Times New Roman', size: 26 } } } },
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            heading: HeadingLevel.HEADING_1,
            text: 'BẢN ĐĂNG KÝ ĐỀ ÁN KHUYẾN CÔNG',
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new TextRun({
                text: `(Bản điền trước — mã ${text(r.code, 'nháp')}, lập ngày ${(r.submittedAt ?? r.updatedAt).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })})`,
                italics: true,
              }),
            ],
          }),
          new Paragraph({
            spacing: { before: 120, after: 120 },
            children: [
              new TextRun({
                text: 'Bố cục theo đề án khuyến công của Thông tư 36/2013/TT-BCT. Các dòng "[Cần bổ sung]" là phần cơ sở chưa điền; Sở Công Thương / Trung tâm Khuyến công hướng dẫn hoàn thiện.',
                italics: true,
                size: 22,
              }),
            ],
          }),
          heading('1. Tên đề án'),
          field(d, 'projectName'),
          field(d, 'supportArea'),
          heading('2. Đơn vị thực hiện, đơn vị phối hợp, đơn vị thụ hưởng và địa điểm'),
          guidance('Đơn vị thực hiện (chủ trì) đề án.'),
          guidance('Đơn vị phối hợp, nếu có.'),
          new Paragraph({
            children: [new TextRun({ text: 'Đơn vị thụ hưởng:', bold: true })],
            spacing: { before: 80, after: 80 },
          }),
          field(d, 'facilityName'),
          field(d, 'entityType'),
          field(d, 'taxCode', 'Mã số thuế / mã số hộ kinh doanh'),
          line(
            'Địa chỉ',
            [d.address, d.commune, d.province].filter((x) => typeof x === 'string' && x !== '').join(', ') ||
              NOT_FILLED,
          ),
          field(d, 'contactPerson'),
          field(d, 'phone'),
          line('Email', formatField('email', d)),
          line('Địa điểm thực hiện', place === NOT_FILLED ? 'như địa chỉ cơ sở' : place),
          heading('3. Sự cần thiết và căn cứ pháp lý'),
          guidance(
            'Thực trạng sản xuất của cơ sở và lý do cần đề án; căn cứ pháp lý: Nghị định 45/2012/NĐ-CP về khuyến công (sửa đổi bởi Nghị định 235/2025/NĐ-CP), Thông tư 36/2013/TT-BCT và văn bản hướng dẫn hiện hành.',
          ),
          heading('4. Mục tiêu'),
          field(d, 'objective'),
          heading('5. Quy mô và điểm mới'),
          guidance(
            'Quy mô đề án và điểm mới về công nghệ, máy móc thiết bị hoặc sản phẩm so với hiện trạng của cơ sở.',
          ),
          heading('6. Nội dung và tiến độ thực hiện'),
          field(d, 'mainContent'),
          field(d, 'timeline'),
          heading('7. Kinh phí'),
          budgetTable(d),
          ...(mismatch
            ? [
                new Paragraph({
                  spacing: { before: 120 },
                  children: [
                    new TextRun({
                      text: `Lưu ý: các phần kinh phí không khớp tổng (${mismatch}); ${d.budgetCheck === 'kept' ? 'cơ sở đã chọn giữ nguyên khi điền' : 'cơ sở chưa sửa'}.`,
                      bold: true,
                    }),
                  ],
                }),
              ]
            : []),
          heading('8. Tổ chức thực hiện'),
          guidance(
            'Phân công thực hiện giữa đơn vị thực hiện, đơn vị phối hợp và cơ sở thụ hưởng; cách theo dõi, nghiệm thu.',
          ),
          heading('9. Hiệu quả dự kiến'),
          field(d, 'expectedEffects'),
          guidance('Hiệu quả kinh tế, xã hội, môi trường và khả năng nhân rộng, nếu cơ sở chưa nêu đủ.'),
          new Paragraph({
            spacing: { before: 360 },
            children: [
              new TextRun({
                text: 'Bản này do cơ sở điền trước với Trợ lý Khuyến công để mang đến Sở Công Thương / Trung tâm Khuyến công; chưa phải hồ sơ nộp cho cơ quan nhà nước. Cán bộ của Sở sẽ hướng dẫn hoàn thiện đề án theo mẫu hiện hành.',
                italics: true,
                size: 22,
              }),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
