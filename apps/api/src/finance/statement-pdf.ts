import { createRequire } from 'node:module';
import { formatMoney } from '@civic/domain';
import type { Settlement, StatementLine } from '@civic/db';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
/** Noto Sans (Simplified Chinese), embedded as a subset of the glyphs each statement uses. */
const FONT_DIR = require.resolve('@embedpdf/fonts-sc').replace(/dist[\\/]index\.c?js$/, 'fonts/');

const money = (amount: number, currency: string) => formatMoney({ amount, currency }, 'zh-CN');

/**
 * A settlement's statement as a PDF in Chinese and English: who is paid, for which period,
 * the lines by product and dataset, and the total; for agencies, a remittance of government
 * non-tax revenue.
 */
export function settlementPdf(settlement: Settlement, lines: readonly StatementLine[], issuedAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Statement ${settlement.period} ${settlement.organizationName}` } });
  doc.registerFont('regular', `${FONT_DIR}NotoSansHans-Regular.otf`);
  doc.registerFont('bold', `${FONT_DIR}NotoSansHans-Bold.otf`);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const remittance = settlement.kind === 'remittance';
  doc.font('bold').fontSize(18).text(remittance ? '数据收益汇缴单 · Remittance statement' : '供应商结算单 · Vendor payout statement');
  doc.moveDown(0.3).font('regular').fontSize(10).fillColor('#555');
  doc.text(remittance ? '政府非税收入（公共数据授权运营收益）· Government non-tax revenue from licensed public data' : '数据产品销售分成 · Revenue share of data product sales');
  doc.moveDown();
  doc.fillColor('#000').fontSize(11);
  const facts: Array<[string, string]> = [
    ['收款单位 Payee', settlement.organizationName],
    ['结算期间 Period', settlement.period],
    ['结算方式 Method', { stripe_transfer: 'Stripe Connect 转账 transfer', bank_instruction: '银行转账 Bank transfer', remittance_statement: '国库汇缴 Treasury remittance' }[settlement.method]],
    ['状态 Status', settlement.status === 'paid' ? `已付 Paid ${settlement.paidAt?.toISOString().slice(0, 10) ?? ''} (${settlement.providerReference ?? ''})` : settlement.status === 'failed' ? `失败 Failed: ${settlement.failureReason ?? ''}` : '待付 Pending'],
    ['结算单号 Statement', settlement.id],
    ['出具日期 Issued', issuedAt.toISOString().slice(0, 10)],
  ];
  for (const [label, value] of facts) doc.font('bold').text(`${label}：`, { continued: true }).font('regular').text(value);
  doc.moveDown();

  const columns = [50, 300, 420];
  const header = (y: number) => {
    doc.font('bold').fontSize(10);
    doc.text(remittance ? '数据集 Dataset' : '产品 Product', columns[0], y, { width: 240 });
    doc.text('笔数 Payments', columns[1], y, { width: 100, align: 'right' });
    doc.text('金额 Amount', columns[2], y, { width: 125, align: 'right' });
    doc.moveTo(50, y + 16).lineTo(545, y + 16).strokeColor('#999').stroke();
    return y + 22;
  };
  let y = header(doc.y);
  doc.font('regular').fontSize(10);
  for (const line of lines) {
    const label = remittance && line.datasetTitleZh ? `${line.datasetTitleZh} / ${line.datasetTitleEn}\n（${line.productTitleZh}）` : `${line.productTitleZh} / ${line.productTitleEn}`;
    const height = doc.heightOfString(label, { width: 240 });
    if (y + height > 760) {
      doc.addPage();
      y = header(50);
      doc.font('regular').fontSize(10);
    }
    doc.text(label, columns[0], y, { width: 240 });
    doc.text(String(line.payments), columns[1], y, { width: 100, align: 'right' });
    doc.text(money(line.amount, settlement.currency), columns[2], y, { width: 125, align: 'right' });
    y += Math.max(height, 14) + 6;
  }
  doc.moveTo(50, y).lineTo(545, y).strokeColor('#999').stroke();
  doc.font('bold').fontSize(11).text('本期应付合计 Amount due this statement', columns[0], y + 8, { width: 300 });
  doc.text(money(settlement.amount, settlement.currency), columns[2], y + 8, { width: 125, align: 'right' });
  doc.moveDown(2).font('regular').fontSize(8).fillColor('#555');
  doc.text(
    '金额为本期及以前期间累计应付、尚未结算的余额，明细为本期分成。Amounts are what is owed through this period and not yet settled; the lines are this period\'s shares.',
    50,
    undefined,
    { width: 495 },
  );
  doc.end();
  return done;
}

/** The same statement as CSV (amounts in minor units). */
export function settlementCsv(settlement: Settlement, lines: readonly StatementLine[]): string {
  const quote = (value: string | number | null) => (value === null ? '' : typeof value === 'number' ? String(value) : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const rows = [
    ['statement', 'kind', 'payee', 'period', 'currency', 'product_zh', 'product_en', 'dataset_id', 'dataset_zh', 'dataset_en', 'payments', 'amount_minor'].join(','),
    ...lines.map((line) =>
      [settlement.id, settlement.kind, settlement.organizationName, settlement.period, settlement.currency, line.productTitleZh, line.productTitleEn, line.datasetId, line.datasetTitleZh, line.datasetTitleEn, line.payments, line.amount].map(quote).join(','),
    ),
    [settlement.id, settlement.kind, settlement.organizationName, settlement.period, settlement.currency, 'TOTAL DUE', 'TOTAL DUE', null, null, null, null, settlement.amount].map(quote).join(','),
  ];
  return `${rows.join('\n')}\n`;
}
