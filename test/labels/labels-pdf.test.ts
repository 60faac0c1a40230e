import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, LABEL_FORMATS, type LabelFormat } from '../../src/modules/labels/labels.formats';
import { planItemLabel } from '../../src/modules/labels/labels.layout';
import { textWidth } from '../../src/modules/labels/text-bitmap';
import { fitLine } from '../../src/modules/labels/text-fit';
import { makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { makeItem, makeSeizure } from '../items/fixtures';
import { dmtx, missing, pdfPages, pdfText, renderPdf, zbar } from './decode';
import { getLabels, makeLabelCase, sheetRows } from './fixtures';
import { expectInsideAndClear } from './plan-checks';

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

/** A realistic rig whose values are long: a model with a "+", a 25-character serial, a long seal, Kazakh make and site. */
const LONG = {
  make: 'Қазақ ӘҒҚҢӨҰҮҺІ',
  model: 'Antminer S19j Pro+ 122T',
  serialNumber: 'SMTTE4Y8DKJ2014567893ABCD',
  sealNo: 'KZ-EKB-2026-00451237-A',
};
const LONG_SITE = 'Қуат-Әлем Екібастұз ҒҚҢӨҰҮҺІ майнинг фермасы';

describe('long values', () => {
  const item = {
    evidenceNo: 'EV2600671238',
    printed: 'EV-26-0067123-8',
    caseNumber: '2026-ЭК-000417',
    site: LONG_SITE,
    seizedOn: '2026-03-14',
    category: 'asic_miner',
    ...LONG,
    quantity: 1,
    unit: 'pcs',
  };
  for (const id of LABEL_FORMATS) {
    it(`${id}: everything inside the label, text clear of the barcodes and their quiet zones`, () => {
      const f = FORMATS[id];
      expectInsideAndClear(planItemLabel(f, item), f);
    });
  }
});

describe('4x6: a long make wraps between words', () => {
  it('"Кентауский трансформаторный завод" shows whole, no word broken', () => {
    const make = 'Кентауский трансформаторный завод';
    const plan = planItemLabel(FORMATS['4x6'], {
      evidenceNo: 'EV2600000014',
      printed: 'EV-26-0000001-4',
      caseNumber: '2026-001',
      site: 'Қуат-Әлем Екібастұз',
      seizedOn: '2026-03-14',
      category: 'transformer',
      make,
      model: 'ТМГ-1000/10-У1',
      serialNumber: 'KTZ-2019-004512',
      sealNo: 'KZ-EKB-2026-00451237-A',
      quantity: 1,
      unit: 'pcs',
    });
    const lines = plan.ops.flatMap((o) =>
      o.op === 'text' && o.font === 'bold'
        ? [fitLine((t, size) => textWidth(o.font, t, size), o.text, { ...o, width: o.w, height: o.h }).text]
        : [],
    );
    const i = lines.indexOf('Кентауский');
    expect(i, lines.join(' | ')).toBeGreaterThan(-1);
    expect(lines.slice(i, i + 3).join(' ')).toBe(make);
  });
});

describe(`a rig with long values on every format${skip ? ` (${skip})` : ''}`, () => {
  let evidenceNo = '';
  beforeAll(async () => {
    const c = await makeCase(t);
    const s = await makeSeizure(t, c.id, { farmName: LONG_SITE });
    evidenceNo = (await makeItem(t, { caseId: c.id, seizureId: s.id }, LONG)).evidenceNo;
  });
  for (const id of LABEL_FORMATS) {
    it.skipIf(skip)(
      `${id}: serial and seal whole where shown (4x6: model, serial, seal, all), barcodes decode`,
      async () => {
        const f = FORMATS[id];
        const res = await getLabels(t, { items: evidenceNo, format: id });
        expect(res.status).toBe(200);
        const pdf = join(dir, `long-${id}.pdf`);
        const px = 203 / 72;
        const crop = sheetRows(f, 203, 1);
        const [png] = renderPdf(res.body as Buffer, 203, dir, `long-${id}`, crop);
        expect(zbar(png as string)).toEqual([evidenceNo]);
        const text = pdfText(pdf);
        const flat = text.replace(/\s+/g, ' ');
        expect(flat).toContain(LONG.serialNumber);
        if (id === '4x6') {
          expect(text).not.toContain('…');
          for (const v of [LONG.model, LONG.sealNo, LONG.make, LONG_SITE]) expect(flat).toContain(v);
        } else if (f.layout.maxLines >= 3) expect(flat).toContain(LONG.sealNo);
        if (f.layout.dataMatrixDots) {
          const dm = planItemLabel(f, { ...dataMatrixItem, evidenceNo }).ops.find(
            (o) => o.op === 'barcode' && o.spec.symbology === 'datamatrix',
          );
          if (dm?.op !== 'barcode') throw new Error('no DataMatrix');
          const x = f.sheet ? f.sheet.left : 0;
          const y = f.sheet ? f.sheet.top : 0;
          const [dmPng] = renderPdf(pdf, 203, dir, `long-${id}-dm`, {
            x: Math.floor((x + dm.x) * px) - 8,
            y: Math.floor((y + dm.y) * px) - 8,
            w: Math.ceil(dm.w * px) + 16,
            h: Math.ceil(dm.h * px) + 16,
          });
          expect(dmtx(dmPng as string)).toEqual([evidenceNo]);
        }
      },
    );
  }
});

const dataMatrixItem = {
  evidenceNo: '',
  printed: '',
  caseNumber: '',
  site: LONG_SITE,
  seizedOn: null,
  category: 'asic_miner',
  ...LONG,
  quantity: 1,
  unit: 'pcs',
};
