import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, LABEL_FORMATS, type LabelFormat } from '../../src/modules/labels/labels.formats';
import { planItemLabel } from '../../src/modules/labels/labels.layout';
import { makeTestApp } from '../helpers/app';
import { dmtx, missing, pdfPages, pdfText, renderPdf, zbar } from './decode';
import { getLabels, makeLabelCase } from './fixtures';

const t = makeTestApp();
const dir = mkdtempSync(join(tmpdir(), 'labels-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fx: Awaited<ReturnType<typeof makeLabelCase>>;
beforeAll(async () => {
  fx = await makeLabelCase(t);
});

/** Where the layout puts item i's DataMatrix on its label. */
function dataMatrixOf(f: LabelFormat, i: number) {
  const item = fx.items[i] as (typeof fx.items)[number];
  const plan = planItemLabel(f, {
    ...item,
    caseNumber: '',
    site: null,
    seizedOn: null,
    quantity: 1,
    unit: 'pcs',
  } as never);
  const op = plan.ops.find((o) => o.op === 'barcode' && o.spec.symbology === 'datamatrix');
  if (op?.op !== 'barcode') throw new Error(`${f.id} has no DataMatrix`);
  return op;
}

const skip = missing('pdftoppm', 'pdftotext', 'pdfinfo', 'zbarimg', 'dmtxread');

describe(`GET /labels/items.pdf renders and scans in every format${skip ? ` (${skip})` : ''}`, () => {
  for (const id of LABEL_FORMATS) {
    it.skipIf(skip)(
      `${id}: every Code 128 and DataMatrix decodes at 203 and 300 dpi; Kazakh text is text`,
      async () => {
        const f = FORMATS[id];
        const res = await getLabels(t, { caseId: fx.caseId, format: id, start: f.sheet ? 2 : 1 });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(res.headers['x-labels-count']).toBe('3');
        const pdf = join(dir, `${id}.pdf`);
        renderPdf(res.body as Buffer, 72, dir, id); // writes the file
        expect(pdfPages(pdf)).toBe(f.sheet ? 1 : 3);
        const text = pdfText(pdf);
        expect(text).toContain('Қазақ ӘҒҚҢӨҰҮҺІ');
        if (f.layout.maxLines >= 3) expect(text).toContain('Қуат-Әлем');
        const expected = fx.items.map((i) => i.evidenceNo);
        for (const dpi of [203, 300]) {
          // Sheets: only the rows in use, to keep the test quick.
          const used = f.sheet
            ? {
                x: 0,
                y: 0,
                w: Math.ceil(f.sheet.page.width * (dpi / 72)),
                h: Math.ceil((f.sheet.top + 2 * f.sheet.pitchY) * (dpi / 72)),
              }
            : undefined;
          const codes = renderPdf(pdf, dpi, dir, id, used).flatMap(zbar);
          expect(codes.sort(), `Code 128 at ${dpi} dpi`).toEqual([...expected].sort());
          if (!f.layout.dataMatrixDots) continue;
          // A small crop around each label's DataMatrix, where the layout put it: dmtxread is slow on
          // a whole page even with -N1.
          const px = dpi / 72;
          const found: string[] = [];
          expected.forEach((_, i) => {
            const slot = f.sheet ? i + 1 : 0;
            const x = f.sheet ? f.sheet.left + (slot % f.sheet.columns) * f.sheet.pitchX : 0;
            const y = f.sheet ? f.sheet.top + Math.floor(slot / f.sheet.columns) * f.sheet.pitchY : 0;
            const dm = dataMatrixOf(f, i);
            const pad = 8;
            const crop = {
              x: Math.floor((x + dm.x) * px) - pad,
              y: Math.floor((y + dm.y) * px) - pad,
              w: Math.ceil(dm.w * px) + 2 * pad,
              h: Math.ceil(dm.h * px) + 2 * pad,
            };
            const [png] = renderPdf(pdf, dpi, dir, `${id}-dm${i}`, crop, f.sheet ? 1 : i + 1);
            found.push(...dmtx(png as string));
          });
          expect(found.sort(), `DataMatrix at ${dpi} dpi`).toEqual([...expected].sort());
        }
      },
    );
  }
});
