import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, THERMAL_FORMATS } from '../../src/modules/labels/labels.formats';
import { zplEscape } from '../../src/modules/labels/labels.zpl';
import { renderText } from '../../src/modules/labels/text-bitmap';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { dmtx, missing, zbar } from './decode';
import { makeLabelCase } from './fixtures';
import { inkIn, readGreyPng } from './png-read';

const t = makeTestApp();
const dir = mkdtempSync(join(tmpdir(), 'labels-zpl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fx: Awaited<ReturnType<typeof makeLabelCase>>;
beforeAll(async () => {
  fx = await makeLabelCase(t);
});

const getZpl = (query: Record<string, string | number>) =>
  t.http.get('/api/v1/labels/items.zpl').query(query).set(auth(t.tokens.clerk)).buffer(true);

/** Draws ZPL offline with zpl-renderer-js (Zebrash in WebAssembly): one PNG per ^XA…^XZ. */
async function renderZpl(
  zpl: string,
  format: (typeof THERMAL_FORMATS)[number],
  dpi: number,
): Promise<Buffer[]> {
  const { ready } = await import('zpl-renderer-js');
  const { api } = await ready;
  const f = FORMATS[format];
  const mm = 25.4 / 72;
  const pngs = await api.zplToBase64MultipleAsync(zpl, f.width * mm, f.height * mm, dpi === 203 ? 8 : 12);
  return pngs.map((b) => Buffer.from(b, 'base64'));
}

/** The ^GF graphic fields of one label: where they are and how big, in dots. */
function graphicFields(label: string) {
  return [...label.matchAll(/\^FO(\d+),(\d+)(?:\^FR)?\^GFA,(\d+),\d+,(\d+),/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    w: Number(m[4]) * 8,
    h: Number(m[3]) / Number(m[4]),
  }));
}

const skip = missing('zbarimg', 'dmtxread');

describe(`GET /labels/items.zpl draws offline and scans${skip ? ` (${skip})` : ''}`, () => {
  for (const format of THERMAL_FORMATS) {
    for (const dpi of [203, 300]) {
      it.skipIf(skip)(
        `${format} at ${dpi} dpi: every barcode decodes; the Kazakh text is ink in its ^GF field`,
        async () => {
          const res = await getZpl({ caseId: fx.caseId, format, dpi, copies: 2 });
          expect(res.status).toBe(200);
          expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
          expect(res.headers['x-labels-count']).toBe('6');
          const zpl = res.text;
          const labels = zpl.split('^XZ').filter((l) => l.includes('^XA'));
          expect(labels).toHaveLength(3);
          const f = FORMATS[format];
          for (const l of labels) {
            expect(l).toMatch(/^\s*\^XA\^CI28\^PW(\d+)\^LL(\d+)\^LH0,0\^PQ2,0,1,N/);
            const [, pw, ll] = /\^PW(\d+)\^LL(\d+)/.exec(l) as unknown as [string, string, string];
            expect(Number(pw)).toBe(Math.round((f.width * dpi) / 72));
            expect(Number(ll)).toBe(Math.round((f.height * dpi) / 72));
            expect(l).toMatch(/\^BY\d\^BCN,\d+,N,N,N,A\^FDEV\d{10}\^FS/);
            if (f.layout.dataMatrixDots) expect(l).toMatch(/\^BXN,\d+,200,0,0,6\^FDEV\d{10}\^FS/);
          }
          const pngs = await renderZpl(zpl, format, dpi);
          expect(pngs).toHaveLength(3);
          const expected = fx.items.map((i) => i.evidenceNo);
          const code128: string[] = [];
          const datamatrix: string[] = [];
          pngs.forEach((png, i) => {
            const file = join(dir, `${format}-${dpi}-${i}.png`);
            writeFileSync(file, png);
            code128.push(...zbar(file));
            if (f.layout.dataMatrixDots) datamatrix.push(...dmtx(file));
          });
          expect(code128).toEqual(expected);
          if (f.layout.dataMatrixDots) expect(datamatrix).toEqual(expected);
          // The Kazakh make is not ASCII: it travels as a graphic field, and the renderer inked it.
          const kazakh = labels[0] as string;
          expect(kazakh).not.toContain('Қазақ');
          const fields = graphicFields(kazakh);
          expect(fields.length).toBeGreaterThan(0);
          const img = readGreyPng(pngs[0] as Buffer);
          for (const g of fields)
            expect(inkIn(img, g.x, g.y, g.w, g.h), `ink in ^GF at ${g.x},${g.y}`).toBeGreaterThan(20);
        },
      );
    }
  }
});

describe('ZPL text', () => {
  it('renders Kazakh letters as their own glyphs, not the missing-glyph box', () => {
    const box = renderText('bold', '\uE000', 40);
    for (const ch of 'ӘҒҚҢӨҰҮҺІәғқңөұүһі') {
      const glyph = renderText('bold', ch, 40);
      expect(Buffer.from(glyph.data).equals(Buffer.from(box.data)), ch).toBe(false);
      expect(
        glyph.data.some((b) => b !== 0),
        ch,
      ).toBe(true);
    }
  });

  it('escapes ^ and ~ (and the escape character _) in field data', () => {
    expect(zplEscape('S19 ^XZ~JR_1')).toBe('S19 _5EXZ_7EJR_5F1');
  });

  it('zplFont= names a printer font for all text: no graphic fields', async () => {
    const res = await getZpl({
      items: fx.items[0]?.evidenceNo as string,
      format: '4x2',
      zplFont: 'E:TT0003M_.FNT',
    });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('^GF');
    expect(res.text).toMatch(/\^A@N,\d+,\d+,E:TT0003M_\.FNT\^FB\d+,1,0,L\^FH\^FD[^^]*Қазақ/);
  });

  it('refuses a format a Zebra does not print, naming the thermal ones; writes nothing', async () => {
    const before = t.head();
    const res = await getZpl({ caseId: fx.caseId, format: 'a4-l7160' });
    expectProblem(res, 400, 'unknown_label_format');
    expect(res.body.formats).toEqual(['4x6', '4x2', '2x1']);
    const brother = await getZpl({ caseId: fx.caseId, format: '62mm' });
    expectProblem(brother, 400, 'unknown_label_format');
    expect(brother.body.detail).toBe(
      '62mm is a PDF format (labels/items.pdf), not one a Zebra prints from ZPL; use one of 4x6, 4x2, 2x1',
    );
    expect(t.head()).toBe(before);
  });
});
