import { formatMinor } from './money-math.js';

export interface InvoicePdfInput {
  number: string;
  issuedAt: Date;
  paidAt: Date | null;
  seller: string;
  customer: { name: string; email: string; company: string | null };
  description: string;
  currency: string;
  subtotalAmount: number;
  taxAmount: number;
  totalAmount: number;
  taxLabel: string;
  taxRegion: string;
  /** When priced in another currency: what the price was and the rate used. */
  price: { amount: number; currency: string; rateMicros: string } | null;
  paymentReference: string | null;
}

/**
 * The invoice as a one-page A4 PDF (pdfkit, its built-in Helvetica: no font files). The document's dates
 * are the invoice's, so the same invoice renders to the same bytes.
 */
export async function renderInvoicePdf(invoice: InvoicePdfInput): Promise<Buffer> {
  // Imported on first use: pdfkit and its font libraries are a large module graph most processes never need.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `Invoice ${invoice.number}`, Author: invoice.seller, CreationDate: invoice.issuedAt, ModDate: invoice.issuedAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (amount: number) => `${formatMinor(amount, invoice.currency)} ${invoice.currency}`;
  const day = (date: Date) => date.toISOString().slice(0, 10);

  doc.font('Helvetica-Bold').fontSize(20).text(`Invoice ${invoice.number}`);
  doc
    .moveDown(0.3)
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#555555')
    .text(`${invoice.seller} · issued ${day(invoice.issuedAt)}${invoice.paidAt ? ` · paid ${day(invoice.paidAt)}` : ''}`);
  doc.moveDown(1.5).fillColor('#000000').font('Helvetica-Bold').text('Billed to');
  doc.font('Helvetica').text(invoice.customer.name);
  if (invoice.customer.company) doc.text(invoice.customer.company);
  doc.text(invoice.customer.email).text(`Tax region: ${invoice.taxRegion}`);

  doc.moveDown(1.5);
  const row = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(label, 56, y, { width: 330 });
    doc.text(value, 400, y, { width: 139, align: 'right' });
    doc.moveDown(0.4);
  };
  row(invoice.description, money(invoice.subtotalAmount));
  if (invoice.price) {
    doc.fontSize(8).fillColor('#555555');
    row(
      `Priced ${formatMinor(invoice.price.amount, invoice.price.currency)} ${invoice.price.currency} at ${Number(invoice.price.rateMicros) / 1_000_000} ${invoice.currency}/${invoice.price.currency}`,
      '',
    );
    doc.fontSize(10).fillColor('#000000');
  }
  doc.moveTo(56, doc.y).lineTo(539, doc.y).strokeColor('#cccccc').stroke().moveDown(0.4);
  row('Subtotal', money(invoice.subtotalAmount));
  row(invoice.taxLabel, money(invoice.taxAmount));
  row('Total', money(invoice.totalAmount), true);
  if (invoice.paymentReference)
    doc.moveDown(1).font('Helvetica').fontSize(9).fillColor('#555555').text(`Paid, payment reference ${invoice.paymentReference}.`, 56);
  doc.end();
  return done;
}
