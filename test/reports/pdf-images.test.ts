import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { code128Png, qrPng } from '../../src/modules/reports/pdf/barcode';
import { createReportDocument } from '../../src/modules/reports/pdf/document';
import { opaquePng } from '../../src/modules/reports/pdf/opaque-png';
import { ReportWriter } from '../../src/modules/reports/pdf/writer';
import { tempDir } from '../helpers/app';
import { missing, renderPdf, zbar } from '../labels/decode';

/** IHDR of a PNG, its tRNS chunk if any, and its pixel rows (filter byte first) inflated. */
function readPng(png: Buffer) {
  let at = 8;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    types.push(type);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    colorType: png[25],
    types,
    rows: inflateSync(Buffer.concat(idat)),
  };
}

const dir = tempDir();

/**
 * A one-page report document with an item's barcode and a QR code, ended without yielding: the
 * bytes pdfkit has written by the time doc.end() returns (all of them, %%EOF last, when no object
 * waits for a callback).
 */
async function drawnAtOnce(): Promise<Buffer> {
  const [barcode, qr] = await Promise.all([code128Png('EV2600000014'), qrPng('http://localhost/r/1')]);
  const doc = createReportDocument({ title: 'Images', author: 'Test (clerk)', date: new Date(0) });
  const w = new ReportWriter(doc, { header: 'Images' }).begin();
  w.image(barcode, 190, 34);
  w.space(40);
  w.image(qr, 96, 96);
  w.finish();
  doc.end();
  // Read in paused mode: what pdfkit has pushed so far, synchronously (no callback has run since).
  const chunks: Buffer[] = [];
  for (let c = doc.read() as Buffer | null; c !== null; c = doc.read() as Buffer | null) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('report images', () => {
  it('are written out as they are drawn: a document with a barcode and a QR code ends in the same turn', async () => {
    // pdfkit numbered and wrote a PNG with an alpha channel from a thread-pool callback, so under
    // load two images came out in either order and the same report was another file.
    const pdf = (await drawnAtOnce()).toString('latin1');
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf.match(/\/Subtype \/Image/g)).toHaveLength(2);
    expect(pdf).not.toContain('/SMask');
  });

  it('go in opaque: transparent pixels white, bars black, no alpha channel; opaque PNGs unchanged', async () => {
    const rgba = await code128Png('EV2600000014');
    const source = readPng(rgba);
    expect(source.colorType).toBe(6); // bwip-js draws RGBA, its background transparent
    const out = readPng(opaquePng(rgba));
    expect(out.colorType).toBe(0); // grey, one byte a pixel
    expect(out.types).not.toContain('tRNS');
    expect([out.width, out.height]).toEqual([source.width, source.height]);
    const stride = source.width * 4 + 1;
    let dark = 0;
    for (let y = 0; y < source.height; y++) {
      expect(source.rows[y * stride]).toBe(0); // bwip-js rows are unfiltered; so the check below reads them
      for (let x = 0; x < source.width; x++) {
        const i = y * stride + 1 + x * 4;
        const alpha = source.rows[i + 3]!;
        const grey = out.rows[y * (source.width + 1) + 1 + x]!;
        expect(grey).toBe(
          alpha === 0 ? 255 : Math.round((source.rows[i]! * alpha + 255 * (255 - alpha)) / 255),
        );
        if (grey === 0) dark += 1;
      }
    }
    expect(dark).toBeGreaterThan(source.width * source.height * 0.2);
    const opaque = opaquePng(rgba);
    expect(opaquePng(opaque)).toBe(opaque);
  });

  it.skipIf(missing('pdftoppm', 'zbarimg'))(
    'still scan on the page: the barcode and the QR code',
    async () => {
      const [png] = renderPdf(await drawnAtOnce(), 150, dir, 'images');
      expect(png).toBeDefined();
      expect(zbar(png!).sort()).toEqual(['EV2600000014', 'http://localhost/r/1']);
    },
  );
});
