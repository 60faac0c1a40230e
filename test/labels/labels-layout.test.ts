import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drawPlan } from '../../src/modules/labels/labels.draw-pdf';
import { FORMATS, LABEL_FORMATS, THERMAL_FORMATS } from '../../src/modules/labels/labels.formats';
import { type PlanOp, planItemLabel } from '../../src/modules/labels/labels.layout';
import { newLabelDoc } from '../../src/modules/labels/labels.pdf';
import type { LabelItem } from '../../src/modules/labels/labels.select';
import { zplLabel } from '../../src/modules/labels/labels.zpl';
import { planLocationLabel } from '../../src/modules/labels/locations.layout';
import {
  drawable,
  hasGlyph,
  REPLACEMENT,
  renderText,
  SURELY_DRAWN,
  textWidth,
} from '../../src/modules/labels/text-bitmap';
import { fitLine, wrapCut, wrapText } from '../../src/modules/labels/text-fit';
import { missing } from './decode';
import { expectInsideAndClear } from './plan-checks';

const dir = mkdtempSync(join(tmpdir(), 'labels-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SITE = '«Қуат-Өскемен Ұлттық Энергия» кеніш фермасы, Шығыс Қазақстан облысы, Үржар ауданы';
const base = {
  printed: 'EV-26-0003001-3',
  evidenceNo: 'EV2600030013',
  caseNumber: '12/345-2022 ҚАРАҒАНДЫ',
  site: SITE,
  seizedOn: '2022-02-14',
  category: 'asic_miner',
  quantity: 1,
  unit: 'pcs',
};
/** The acceptance tester's worst cases: long Kazakh make and site, 200-character fields, CJK. */
const WORST: Record<string, LabelItem> = {
  kazakh: {
    ...base,
    make: 'Қазақ Майнинг Құрылғылары ЖШС',
    model: 'Antminer S19 Pro+ Hyd. 198Th ӘҒҚҢӨҰҮҺІ',
    serialNumber: 'HTX2104A0012345-ҚҰРЫЛҒЫ-000000000000000000009876543210',
    sealNo: 'KZ-0041277/Ә-ПЛОМБА-№ 998877665544332211',
  },
  huge: {
    ...base,
    make: 'Қазақ Майнинг Құрылғылары ЖШС Өскемен филиалы '.repeat(5).slice(0, 200),
    model: 'Модель өте ұзын атауы '.repeat(10).slice(0, 200),
    serialNumber: 'X'.repeat(200),
    sealNo: 'S'.repeat(100),
  },
  cjk: {
    ...base,
    make: '比特大陆 Bitmain',
    model: '蚂蚁矿机 S19',
    serialNumber: 'CN-00001',
    sealNo: 'KZ-CN',
  },
};

/** A binary PGM (what pdftoppm -gray writes): 0 = black … 255 = white. */
function readPgm(b: Buffer) {
  const head = b.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+\d+\s/);
  if (!head) throw new Error('not a PGM');
  return { width: Number(head[1]), height: Number(head[2]), pixels: b.subarray(head[0].length) };
}

const texts = (ops: PlanOp[]) => ops.filter((o): o is Extract<PlanOp, { op: 'text' }> => o.op === 'text');

describe('characters the label fonts lack', () => {
  it('print as U+FFFD, measured as drawn; Kazakh and Russian stay as they are', () => {
    expect(drawable('bold', '比特大陆 Bitmain')).toBe(`${REPLACEMENT.repeat(4)} Bitmain`);
    expect(drawable('regular', 'Қазақ ӘҒҚҢӨҰҮҺІ Шахтёр №')).toBe('Қазақ ӘҒҚҢӨҰҮҺІ Шахтёр №');
    expect(textWidth('bold', '比', 10)).toBeCloseTo(textWidth('bold', REPLACEMENT, 10), 6);
    // The ZPL raster draws the replacement too: the same ink as for U+FFFD itself.
    expect(renderText('bold', '比', 40).data).toEqual(renderText('bold', REPLACEMENT, 40).data);
  });

  it('every character the quick check passes has a glyph in that font', () => {
    for (const name of ['regular', 'bold', 'mono'] as const)
      for (let c = 0x20; c < 0x2200; c++)
        if (SURELY_DRAWN[name].test(String.fromCodePoint(c)))
          expect(hasGlyph(name, c), `${name} U+${c.toString(16)}`).toBe(true);
  });

  for (const id of LABEL_FORMATS) {
    it(`${id}: the plan holds only drawable text, each line inside its box`, () => {
      const f = FORMATS[id];
      const plan = planItemLabel(f, WORST.cjk as LabelItem);
      const all = texts(plan.ops);
      expect(all.some((o) => o.text.includes(REPLACEMENT))).toBe(true);
      for (const o of all) {
        expect(drawable(o.font, o.text)).toBe(o.text);
        const line = fitLine((t, s) => textWidth(o.font, t, s), o.text, { ...o, width: o.w, height: o.h });
        expect(line.x + line.width, o.text).toBeLessThanOrEqual(o.x + o.w + 1e-6);
      }
    });
  }
});

describe('worst-case items: nothing leaves the label or enters a quiet zone', () => {
  for (const id of LABEL_FORMATS)
    for (const [name, item] of Object.entries(WORST))
      it(`${id}, ${name}`, () => {
        expectInsideAndClear(planItemLabel(FORMATS[id], item), FORMATS[id]);
      });
});

const skip = missing('pdftoppm');

describe(`worst-case items drawn as PDF: no ink outside the label${skip ? ` (${skip})` : ''}`, () => {
  for (const id of LABEL_FORMATS)
    it.skipIf(skip)(id, async () => {
      const f = FORMATS[id];
      // Each label on a page with a white border round it: ink in the border ran off the label.
      const border = 36;
      const doc = newLabelDoc('layout', new Date(0));
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise((r) => doc.on('end', r));
      for (const item of Object.values(WORST)) {
        doc.addPage({ size: [f.width + 2 * border, f.height + 2 * border], margin: 0 });
        drawPlan(doc, planItemLabel(f, item), border, border);
      }
      doc.end();
      await ended;
      const pdf = join(dir, `${id}.pdf`);
      writeFileSync(pdf, Buffer.concat(chunks));
      const dpi = 100;
      execFileSync('pdftoppm', ['-r', String(dpi), '-gray', pdf, join(dir, id)]);
      const k = dpi / 72;
      for (let page = 1; page <= Object.keys(WORST).length; page++) {
        const png = readPgm(readFileSync(join(dir, `${id}-${page}.pgm`)));
        const x0 = Math.floor(border * k) - 1;
        const y0 = Math.floor(border * k) - 1;
        const x1 = Math.ceil((border + f.width) * k) + 1;
        const y1 = Math.ceil((border + f.height) * k) + 1;
        let outside = 0;
        for (let y = 0; y < png.height; y++)
          for (let x = 0; x < png.width; x++)
            if ((x < x0 || x >= x1 || y < y0 || y >= y1) && (png.pixels[y * png.width + x] as number) < 128)
              outside++;
        expect(outside, `page ${page}`).toBe(0);
      }
    });
});

describe('worst-case items as ZPL: every graphic field inside the label', () => {
  for (const id of THERMAL_FORMATS)
    for (const dpi of [203, 300])
      it(`${id} at ${dpi} dpi`, () => {
        const f = FORMATS[id];
        const k = dpi / 72;
        for (const item of Object.values(WORST)) {
          const zpl = zplLabel(planItemLabel(f, item, dpi), { dpi, copies: 1 });
          const fields = [...zpl.matchAll(/\^FO(\d+),(\d+)(?:\^FR)?\^GFA,(\d+),\d+,(\d+),/g)];
          expect(fields.length).toBeGreaterThan(0);
          for (const m of fields) {
            const [x, y, total, rowBytes] = [m[1], m[2], m[3], m[4]].map(Number) as [
              number,
              number,
              number,
              number,
            ];
            // The bitmap is its text's advance + 2 px: its last byte's padding may pass the edge.
            expect(x, m[0]).toBeGreaterThanOrEqual(0);
            expect(x + (rowBytes - 1) * 8, m[0]).toBeLessThanOrEqual(Math.round(f.width * k));
            expect(y + total / rowBytes, m[0]).toBeLessThanOrEqual(Math.round(f.height * k) + 2);
          }
        }
      });
});

/** The 4x6's captioned fields as drawn: caption → its value lines (after the drawing's own fit). */
function fieldsOf(item: LabelItem) {
  const f = FORMATS['4x6'];
  const rows = new Map<string, { lines: string[]; bottom: number }>();
  let caption = '';
  for (const o of texts(planItemLabel(f, item).ops)) {
    const shown = fitLine((t, s) => textWidth(o.font, t, s), o.text, { ...o, width: o.w, height: o.h }).text;
    if (o.font === 'regular') {
      caption = o.text;
      rows.set(caption, { lines: [], bottom: o.y + o.h });
    } else if (o.font === 'bold' && rows.has(caption)) {
      const row = rows.get(caption) as { lines: string[]; bottom: number };
      row.lines.push(shown);
      row.bottom = o.y + o.h;
    }
  }
  return rows;
}
/** Lines joined as they were broken: a space where a line did not end in a dash or slash. */
const joinLines = (lines: string[]) =>
  lines.reduce((all, l) => (all === '' ? l : /[-/]$/.test(all) ? all + l : `${all} ${l}`), '');

describe('4x6: identifiers whole, broken between tokens, and the label used', () => {
  it('a 52-character serial and a seal break only at a dash or a space, never inside a token', () => {
    const item = WORST.kazakh as LabelItem;
    const rows = fieldsOf(item);
    for (const [caption, value] of [
      ['Serial', item.serialNumber],
      ['Seal', item.sealNo],
    ] as const) {
      const lines = rows.get(caption)?.lines ?? [];
      expect(joinLines(lines), caption).toBe(value);
      const tokens = new Set((value as string).split(/[\s]+|(?<=[-/])/));
      for (const l of lines)
        for (const tok of l.split(/\s+|(?<=[-/])/)) expect(tokens, `${caption}: ${l}`).toContain(tok);
    }
    // Nothing cut on a realistic long label.
    for (const [caption, row] of rows) for (const l of row.lines) expect(l, caption).not.toContain('…');
  });

  it('200-character make, model and serial, 100-character seal: case, serial and seal whole, the rest cut, the label filled', () => {
    const item = WORST.huge as LabelItem;
    const rows = fieldsOf(item);
    expect(rows.get('Case')?.lines.join(' ')).toBe(item.caseNumber);
    expect(rows.get('Seized')?.lines).toEqual([item.seizedOn]);
    expect(rows.get('Serial')?.lines.join('')).toBe(item.serialNumber);
    expect(rows.get('Seal')?.lines.join('')).toBe(item.sealNo);
    for (const c of ['Site', 'Make', 'Model']) {
      const lines = rows.get(c)?.lines ?? [];
      expect(lines.length, c).toBeGreaterThanOrEqual(1);
      expect(lines.at(-1), c).toMatch(/…$/);
    }
    // The fields reach the bottom of the label, not three quarters of it.
    const f = FORMATS['4x6'];
    const bottom = Math.max(...[...rows.values()].map((r) => r.bottom));
    expect(bottom).toBeGreaterThan(f.height - f.layout.margin - 2 * f.layout.lineSize);
    expect(bottom).toBeLessThanOrEqual(f.height - f.layout.margin + 1e-6);
  });
});

describe('wrapText', () => {
  const m = (t: string, size: number) => textWidth('bold', t, size);
  const w = m('HTX2104A0012345-ҚҰ', 10);
  it('breaks after a dash before it breaks inside a word', () => {
    expect(wrapText(m, 'HTX2104A0012345-ҚҰРЫЛҒЫ-0000', w, 10, 3)).toEqual([
      'HTX2104A0012345-',
      'ҚҰРЫЛҒЫ-0000',
    ]);
    expect(wrapText(m, 'HTX2104A0012345/ҚҰРЫЛҒЫ', w, 10, 3)).toEqual(['HTX2104A0012345/', 'ҚҰРЫЛҒЫ']);
  });
  it('breaks a token wider than the line into even parts, or refuses to', () => {
    const long = '0'.repeat(30);
    const lines = wrapText(m, long, w, 10, 3) as string[];
    expect(lines.join('')).toBe(long);
    expect(
      Math.max(...lines.map((l) => l.length)) - Math.min(...lines.map((l) => l.length)),
    ).toBeLessThanOrEqual(1);
    expect(wrapText(m, long, w, 10, 3, false)).toBeNull();
  });
  it('wrapCut ends the last line it keeps with "…", inside the width', () => {
    const text = 'Модель өте ұзын атауы '.repeat(6).trim();
    const lines = wrapCut(m, text, () => w, 10, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/…$/);
    for (const l of lines) expect(m(l, 10)).toBeLessThanOrEqual(w);
  });
});

describe('the seizure date is never the part that is cut', () => {
  for (const id of LABEL_FORMATS.filter((x) => x !== '4x6'))
    it(`${id}: with a long site the date still shows, whole`, () => {
      const f = FORMATS[id];
      const shown = texts(planItemLabel(f, WORST.kazakh as LabelItem).ops).map(
        (o) => fitLine((t, s) => textWidth(o.font, t, s), o.text, { ...o, width: o.w, height: o.h }).text,
      );
      expect(
        shown.some((l) => l.includes('2022-02-14')),
        shown.join(' | '),
      ).toBe(true);
    });
});

describe('location labels: a long name', () => {
  const leaf = 'Сөре Ә-01 (трансформаторлар мен қуат блоктары үшін ұзын атауы бар сөре)';
  it('4x6: takes its three lines, broken between words only, the last one cut', () => {
    const f = FORMATS['4x6'];
    const plan = planLocationLabel(f, {
      code: 'LC00001625',
      printed: 'LC-0000162-5',
      kind: 'shelf',
      path: `Өскемен қоймасы №2 › Зал Ә — ірі жабдық › ${leaf}`,
    });
    expectInsideAndClear(plan, f);
    const name = texts(plan.ops).filter((o) => o.font === 'bold' && o.text !== 'LC-0000162-5');
    expect(name).toHaveLength(3);
    const words = new Set(leaf.split(' '));
    for (const o of name.slice(0, -1)) for (const w of o.text.split(' ')) expect(words, o.text).toContain(w);
    expect(
      leaf.startsWith(
        name
          .map((o) => o.text)
          .join(' ')
          .replace(/…$/, ''),
      ),
    ).toBe(true);
  });
});
