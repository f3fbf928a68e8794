import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { RegistrationRecord } from '../../bot/stores.ts';
import { areaLabel, entityLabel, formatTimeline, formatVnd } from '../../dialogs/index.ts';

const text = (v: unknown, fallback = '(chưa điền)') => (v === undefined || v === null || v === '' ? fallback : String(v));
const money = (v: unknown) => (typeof v === 'number' ? formatVnd(v) : '(chưa điền)');

function line(label: string, value: string): Paragraph {
  return new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)], spacing: { after: 80 } });
}

function heading(title: string): Paragraph {
  return new Paragraph({ text: title, heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 } });
}

function budgetTable(d: Record<string, unknown>): Table {
  const row = (label: string, value: string, bold = false) =>
    new TableRow({
      children: [
        new TableCell({ width: { size: 60, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: [new TextRun({ text: label, bold })] })] }),
        new TableCell({ width: { size: 40, type: WidthType.PERCENTAGE }, children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: value, bold })] })] }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      row('Tổng kinh phí thực hiện', money(d.budgetTotal), true),
      row('Kinh phí khuyến công quốc gia đề nghị hỗ trợ', money(d.budgetRequested)),
      row('Vốn đối ứng của đơn vị thụ hưởng', money(d.budgetCounterpart)),
      row('Nguồn khác', money(d.budgetOther)),
    ],
  });
}

/** A registration laid out as a đề án outline (Thông tư 36/2013/TT-BCT, as FACTS §5 summarises it). */
export async function registrationDocx(r: RegistrationRecord): Promise<Buffer> {
  const d = r.data;
  const timeline = d.timeline && typeof d.timeline === 'object' ? formatTimeline(d.timeline as { start: string; end: string }) : '(chưa điền)';
  const doc = new Document({
    creator: 'Trợ lý Khuyến công',
    title: `Bản đăng ký đề án khuyến công ${r.code ?? ''}`,
    styles: { default: { document: { run: { font: 'Times New Roman', size: 26 } } } },
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, heading: HeadingLevel.HEADING_1, text: 'BẢN ĐĂNG KÝ ĐỀ ÁN KHUYẾN CÔNG' }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `(Bản điền trước — mã ${text(r.code, 'nháp')}, lập ngày ${(r.submittedAt ?? r.updatedAt).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })})`, italics: true })] }),
          heading('1. Tên đề án và lĩnh vực'),
          line('Tên đề án', text(d.projectName)),
          line('Lĩnh vực hỗ trợ', d.supportArea ? areaLabel(d.supportArea) : '(chưa điền)'),
          heading('2. Đơn vị thụ hưởng'),
          line('Tên cơ sở', text(d.facilityName)),
          line('Loại hình', d.entityType ? entityLabel(d.entityType) : '(chưa điền)'),
          line('Mã số thuế / mã số hộ kinh doanh', text(d.taxCode)),
          line('Địa chỉ', [d.address, d.commune, d.province].filter((x) => typeof x === 'string' && x !== '').join(', ') || '(chưa điền)'),
          line('Người liên hệ', text(d.contactPerson)),
          line('Điện thoại', text(d.phone)),
          line('Email', text(d.email, '(không có)')),
          heading('3. Mục tiêu'),
          new Paragraph(text(d.objective)),
          heading('4. Nội dung, địa điểm và tiến độ thực hiện'),
          line('Nội dung chính', text(d.mainContent)),
          line('Địa điểm thực hiện', text(d.implementationPlace, 'tại địa chỉ cơ sở')),
          line('Thời gian thực hiện', timeline),
          heading('5. Kinh phí'),
          budgetTable(d),
          heading('6. Hiệu quả dự kiến'),
          new Paragraph(text(d.expectedEffects)),
          new Paragraph({
            spacing: { before: 360 },
            children: [new TextRun({ text: 'Bản này do cơ sở điền trước với Trợ lý Khuyến công để mang đến Sở Công Thương / Trung tâm Khuyến công; chưa phải hồ sơ nộp cho cơ quan nhà nước. Cán bộ của Sở sẽ hướng dẫn hoàn thiện đề án theo mẫu hiện hành.', italics: true, size: 22 })],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
