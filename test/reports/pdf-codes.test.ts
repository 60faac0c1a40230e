import { describe, expect, it } from 'vitest';
import { code128, qrCode } from '../../src/modules/reports/pdf/barcode';
import { createReportDocument } from '../../src/modules/reports/pdf/document';
import { ReportWriter } from '../../src/modules/reports/pdf/writer';
import { tempDir } from '../helpers/app';
import { missing, renderPdf, zbar } from '../labels/decode';

const dir = tempDir();

/**
 * A one-page report document with an item's barcode and a QR code, ended without yielding: the
 * bytes pdfkit has written by the time doc.end() returns (all of them, %%EOF last, when no object
 * waits for a callback).
 */
function drawnAtOnce(): Buffer {
  const doc = createReportDocument({ title: 'Codes', author: 'Test (clerk)', date: new Date(0) });
  const w = new ReportWriter(doc, { header: 'Codes' }).begin();
  w.code(code128('EV2600000014'), 190, 34);
  w.space(40);
  w.code(qrCode('http://localhost/api/v1/reports/0f3a'), 96, 96);
  w.finish();
  doc.end();
  // Read in paused mode: what pdfkit has pushed so far, synchronously (no callback has run since).
  const chunks: Buffer[] = [];
  for (let c = doc.read() as Buffer | null; c !== null; c = doc.read() as Buffer | null) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('report barcodes and QR codes', () => {
  it('are vector paths written as they are drawn: the document ends in the same turn, with no image', () => {
    // A PNG with transparency was numbered and written by pdfkit from a thread-pool callback, so
    // under load the barcode's and the QR code's objects came out in either order: another file.
    const pdf = drawnAtOnce().toString('latin1');
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf).not.toContain('/Subtype /Image');
  });

  it.skipIf(missing('pdftoppm', 'zbarimg'))('scan from the page as printed', () => {
    for (const dpi of [100, 200]) {
      const [png] = renderPdf(drawnAtOnce(), dpi, dir, `codes-${dpi}`);
      expect(png).toBeDefined();
      expect(zbar(png!).sort()).toEqual(['EV2600000014', 'http://localhost/api/v1/reports/0f3a']);
    }
  });
});
