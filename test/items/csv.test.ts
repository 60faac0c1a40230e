import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { isFormulaLike, readItemsCsv } from '../../src/modules/items/items.csv';

const CHARS = [
  'a',
  'Z',
  '7',
  ' ',
  ',',
  ';',
  '"',
  '\n',
  '\r\n',
  '\r',
  'Я',
  'ж',
  'Қ',
  'ә',
  '№',
  '—',
  '€',
  '😀',
  '=',
  '-',
  '+',
  '@',
  '\t',
];
const cellText = fc
  .array(fc.constantFrom(...CHARS), { maxLength: 30 })
  .map((parts) => parts.join(''))
  .filter((s) => !isFormulaLike(s));

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('readItemsCsv', () => {
  it('reads back any text cell, with any separator, line ending and BOM, naming each row’s first line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cellText, cellText), { minLength: 1, maxLength: 20 }),
        fc.constantFrom(',', ';'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (rows, sep, eol, bom) => {
          let text = `${bom ? '\uFEFF' : ''}Category${sep}make${sep}DESCRIPTION${eol}`;
          const startLines: number[] = [];
          for (const [make, description] of rows) {
            startLines.push(1 + (text.match(/\r\n|\n|\r/g)?.length ?? 0));
            text += `asic_miner${sep}${quote(make)}${sep}${quote(description)}${eol}`;
          }
          const read = readItemsCsv(Buffer.from(text, 'utf8'));
          expect(read.map((r) => r.line)).toEqual(startLines);
          read.forEach((r, i) => {
            const [make, description] = rows[i] as [string, string];
            expect(r.item.make).toBe(make.trim() || undefined);
            expect(r.item.description).toBe(description.trim() || undefined);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the same lines for a bad row however the earlier rows were quoted', () => {
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 10 }), (descriptions) => {
        let text = 'category,description\n';
        for (const d of descriptions) text += `asic_miner,${quote(d)}\n`;
        const badLine = 1 + (text.match(/\r\n|\n|\r/g)?.length ?? 0);
        text += 'toaster,x\n';
        try {
          readItemsCsv(Buffer.from(text));
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).extra.errors).toEqual([
            { line: badLine, column: 'category', message: expect.any(String) },
          ]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('tells formula-like cells from numbers and text', () => {
    for (const cell of [
      '=1+1',
      "=cmd|' /C calc'!A0",
      '@SUM(A1)',
      '+A1',
      '-A1',
      '-2+3',
      '\tx',
      '\rx',
      '+ 7',
    ]) {
      expect(isFormulaLike(cell), cell).toBe(true);
    }
    for (const cell of ['', '-', '+', '-5', '+7', '-1.5', '12,5', 'a=b', ' =1', 'Antminer', '5-7']) {
      expect(isFormulaLike(cell), cell).toBe(false);
    }
  });
});
