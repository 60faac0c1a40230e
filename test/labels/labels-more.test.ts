import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import { FORMATS } from '../../src/modules/labels/labels.formats';
import { planLocationLabel } from '../../src/modules/labels/locations.layout';
import { textWidth } from '../../src/modules/labels/text-bitmap';
import { fitLine } from '../../src/modules/labels/text-fit';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { dmtx, missing, pdfPages, pdfText, pngSize, renderPdf, zbar } from './decode';
import { makeLabelCase, makeLocation, sheetRows } from './fixtures';

const t = makeTestApp();
const dir = mkdtempSync(join(tmpdir(), 'labels-more-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fx: Awaited<ReturnType<typeof makeLabelCase>>;
beforeAll(async () => {
  fx = await makeLabelCase(t);
});

const binary = (req: ReturnType<typeof t.http.get>) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

const tools = missing('pdftoppm', 'pdftotext', 'pdfinfo', 'zbarimg', 'dmtxread');

describe(`GET /labels/locations.pdf${tools ? ` (${tools})` : ''}`, () => {
  it.skipIf(tools)(
    'labels a subtree: each code scans, with its printed code and path; one print event',
    async () => {
      const wh = await makeLocation(t, 'warehouse', 'Екібастұз WH-1');
      const room = await makeLocation(t, 'room', 'Room 2', wh.code);
      const shelf = await makeLocation(t, 'shelf', 'Shelf B', room.code);
      const before = t.head();
      const res = await binary(
        t.http
          .get('/api/v1/labels/locations.pdf')
          .query({ under: room.printed, format: '4x2' })
          .set(auth(t.tokens.auditor)),
      );
      expect(res.status).toBe(200);
      expect(res.headers['x-labels-count']).toBe('2');
      expect(t.head()).toBe(before + 1);
      const pdf = join(dir, 'locations.pdf');
      renderPdf(res.body as Buffer, 72, dir, 'locations');
      expect(pdfPages(pdf)).toBe(2);
      const [roomPage, shelfPage] = pdfText(pdf).split('\f');
      expect(roomPage).toContain(room.printed);
      expect(roomPage).toMatch(/Екібастұз WH-1\s+Room 2/);
      expect(shelfPage).toMatch(/Екібастұз WH-1 › Room 2\s+Shelf B/);
      for (const dpi of [203, 300]) {
        const codes = renderPdf(pdf, dpi, dir, 'locations').flatMap(zbar);
        expect(codes.sort()).toEqual([room.code, shelf.code].sort());
      }
    },
  );

  it.skipIf(tools)(
    'a long path keeps the leaf: every format shows each location’s own name and scans',
    async () => {
      const wh = await makeLocation(t, 'warehouse', 'Экибастуз — склад вещественных доказательств №1');
      const room = await makeLocation(t, 'room', 'Зал A', wh.code);
      const shelf = await makeLocation(t, 'shelf', 'Стеллаж A-01', room.code);
      const bin = await makeLocation(t, 'bin', 'Ячейка 3', shelf.code);
      const codes = [wh, room, shelf, bin].map((l) => l.code);
      for (const format of ['4x6', '4x2', '2x1', '62mm', 'a4-l7163'] as const) {
        const res = await binary(
          t.http
            .get('/api/v1/labels/locations.pdf')
            .query({ under: wh.printed, format })
            .set(auth(t.tokens.clerk)),
        );
        expect(res.status).toBe(200);
        const pdf = join(dir, `long-${format}.pdf`);
        const f = FORMATS[format];
        // A sheet: only its first two rows, where the four labels are.
        const crop = sheetRows(f, 203, 2);
        const pngs = renderPdf(res.body as Buffer, 203, dir, `long-${format}`, crop);
        // Sheets: all four on one page, row by row; rolls: one page each, in path order.
        const text = pdfText(pdf).replace(/\s+/g, ' ');
        for (const name of ['Зал A', 'Стеллаж A-01', 'Ячейка 3']) expect(text, format).toContain(name);
        if (!f.sheet) {
          const pages = pdfText(pdf).split('\f');
          expect(pages[3], format).toContain('Ячейка 3');
          expect(pages[3], format).toMatch(/Стеллаж A-01/);
        }
        expect(pngs.flatMap(zbar).sort(), format).toEqual([...codes].sort());
      }
    },
  );

  it('a long name of its own is wrapped or shrunk, never cut, on every format', () => {
    const name = 'Экибастуз — склад вещественных доказательств №1';
    for (const f of Object.values(FORMATS)) {
      const plan = planLocationLabel(f, {
        code: 'LC00000024',
        printed: 'LC-0000002-4',
        kind: 'warehouse',
        path: name,
      });
      // As a renderer fits each line into its box (here with the glyph advances).
      const texts = plan.ops.flatMap((o) =>
        o.op === 'text'
          ? [fitLine((t, size) => textWidth(o.font, t, size), o.text, { ...o, width: o.w, height: o.h }).text]
          : [],
      );
      expect(texts.slice(0, -1).join(' '), f.id).toBe(name);
    }
  });

  it('fills a 4x6 from top to bottom, not a band in its middle', () => {
    const f = FORMATS['4x6'];
    const plan = planLocationLabel(f, {
      code: 'LC00000017',
      printed: 'LC-0000001-7',
      kind: 'bin',
      path: 'Экибастуз — склад вещественных доказательств №1 › Зал A › Стеллаж A-01 › Ячейка 3',
    });
    const top = Math.min(...plan.ops.map((o) => o.y));
    const bottom = Math.max(...plan.ops.map((o) => o.y + o.h));
    expect(top).toBeLessThan(f.height * 0.1);
    expect(bottom).toBeGreaterThan(f.height * 0.9);
    expect(bottom).toBeLessThanOrEqual(f.height - f.layout.margin);
    const texts = plan.ops.flatMap((o) => (o.op === 'text' ? [o.text] : []));
    // The whole path on a 4x6, wrapped; the leaf large on its own line.
    expect(texts.join(' ')).toContain(
      'Экибастуз — склад вещественных доказательств №1 › Зал A › Стеллаж A-01',
    );
    expect(texts).toContain('Ячейка 3');
  });

  it.skipIf(tools)(
    'by codes= on a sheet from start=; an unknown code is refused, nothing written',
    async () => {
      const a = await makeLocation(t, 'warehouse', `Almaty WH ${Date.now()}`);
      const res = await binary(
        t.http
          .get('/api/v1/labels/locations.pdf')
          .query({ codes: a.code, format: 'a4-l7163', start: 3 })
          .set(auth(t.tokens.clerk)),
      );
      expect(res.status).toBe(200);
      const [png] = renderPdf(res.body as Buffer, 203, dir, 'loc-sheet');
      expect(zbar(png as string)).toEqual([a.code]);
      const before = t.head();
      const bad = await t.http
        .get('/api/v1/labels/locations.pdf')
        .query({ codes: 'LC99999990' })
        .set(auth(t.tokens.clerk));
      expect(['location_not_found', 'invalid_check_digit']).toContain(bad.body.code);
      expect(t.head()).toBe(before);
    },
  );
});

describe(`GET /items/:evidenceNo/barcode.svg|.png${tools ? ` (${tools})` : ''}`, () => {
  for (const symbology of ['code128', 'datamatrix', 'qrcode'] as const) {
    it.skipIf(tools)(`${symbology}: the PNG decodes to the compact number; the SVG is vector`, async () => {
      const item = fx.items[0];
      const png = await binary(
        t.http
          .get(`/api/v1/items/${item?.printed}/barcode.png`)
          .query({ symbology })
          .set(auth(t.tokens.prosecutor)),
      );
      expect(png.status).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      const file = join(dir, `${symbology}.png`);
      writeFileSync(file, png.body as Buffer);
      expect(symbology === 'datamatrix' ? dmtx(file) : zbar(file)).toEqual([item?.evidenceNo]);
      const svg = await t.http
        .get(`/api/v1/items/${item?.evidenceNo}/barcode.svg`)
        .query({ symbology })
        .set(auth(t.tokens.prosecutor));
      expect(svg.status).toBe(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const text = (svg.body as Buffer).toString('utf8');
      expect(text).toMatch(/^<svg[^>]*viewBox/);
      expect(text).toMatch(/<path /);
      // Quiet zones, in the SVG's px at 3 px a point: Code 128 10 modules of 1 pt (left and right),
      // QR 4 modules of 2 pt (ISO/IEC 18004), DataMatrix 1 module of 2 pt (ISO/IEC 16022), all round.
      const [w, h] = (/viewBox="0 0 (\d+) (\d+)"/.exec(text) ?? []).slice(1).map(Number) as [number, number];
      const bars = [...text.matchAll(/<path [^>]*d="([^"]+)"/g)].map((m) => m[1]).join(' ');
      const points = [...bars.matchAll(/(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      const xs = points.map(([x]) => x as number);
      const ys = points.map(([, y]) => y as number);
      const quiet = { code128: 30, qrcode: 24, datamatrix: 6 }[symbology];
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(quiet);
      expect(w - Math.max(...xs)).toBeGreaterThanOrEqual(quiet);
      if (symbology !== 'code128') {
        expect(Math.min(...ys)).toBeGreaterThanOrEqual(quiet);
        expect(h - Math.max(...ys)).toBeGreaterThanOrEqual(quiet);
      }
    });
  }

  it('an unknown item is 404, a mistyped one 400', async () => {
    expectProblem(
      await t.http
        .get(`/api/v1/items/${formatEvidenceNo(26, 9_999_999).compact}/barcode.svg`)
        .set(auth(t.tokens.clerk)),
      404,
      'item_not_found',
    );
    expectProblem(
      await t.http.get('/api/v1/items/EV2600000015/barcode.png').set(auth(t.tokens.clerk)),
      400,
      'invalid_check_digit',
    );
  });
});

describe(`GET /items/:evidenceNo/label.png${tools ? ` (${tools})` : ''}`, () => {
  for (const format of ['4x2', '62mm', 'letter-5160'] as const) {
    it.skipIf(tools)(
      `${format}: one label at the printer's resolution, its barcodes decode; not a print job`,
      async () => {
        const item = fx.items[0];
        const before = t.head();
        const res = await binary(
          t.http
            .get(`/api/v1/items/${item?.evidenceNo}/label.png`)
            .query({ format })
            .set(auth(t.tokens.clerk)),
        );
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('image/png');
        const f = FORMATS[format];
        expect(pngSize(res.body as Buffer)).toEqual({
          width: Math.round((f.width * f.dpi) / 72),
          height: Math.round((f.height * f.dpi) / 72),
        });
        const file = join(dir, `preview-${format}.png`);
        writeFileSync(file, res.body as Buffer);
        expect(zbar(file)).toEqual([item?.evidenceNo]);
        if (f.layout.dataMatrixDots) expect(dmtx(file)).toEqual([item?.evidenceNo]);
        expect(t.head()).toBe(before);
      },
    );
  }

  it('an unknown format lists the valid ones', async () => {
    const res = await t.http
      .get(`/api/v1/items/${fx.items[0]?.evidenceNo}/label.png`)
      .query({ format: 'a5' })
      .set(auth(t.tokens.clerk));
    expectProblem(res, 400, 'unknown_label_format');
    expect(res.body.formats).toContain('letter-5160');
  });
});
