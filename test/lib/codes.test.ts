import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatEvidenceNo,
  formatLocationCode,
  parseEvidenceNo,
  parseLocationCode,
} from '../../src/lib/codes';
import { dammDigit, dammValid } from '../../src/lib/damm';
import { AppError } from '../../src/lib/errors';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof AppError ? e.code : 'not_app_error';
  }
}

describe('Damm check digit', () => {
  it('matches the published examples', () => {
    expect(dammDigit('572')).toBe(4);
    expect(dammValid('5724')).toBe(true);
    expect(dammDigit('260067123')).toBe(8);
    expect(dammDigit('0001234')).toBe(0);
  });

  for (const n of [9, 7]) {
    it(`catches every single-digit substitution over ${n} digits`, () => {
      fc.assert(
        fc.property(digits(n), fc.nat(n), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
          const full = `${body}${dammDigit(body)}`;
          const i = pos % (n + 1); // the check digit itself may be the mistyped one too
          const wrong = full.slice(0, i) + String((Number(full[i]) + delta) % 10) + full.slice(i + 1);
          expect(dammValid(full)).toBe(true);
          expect(dammValid(wrong)).toBe(false);
        }),
        { numRuns: 2000 },
      );
    });

    it(`catches every adjacent transposition over ${n} digits`, () => {
      fc.assert(
        fc.property(digits(n), fc.nat(n - 1), (body, pos) => {
          const full = `${body}${dammDigit(body)}`;
          const i = pos % n; // swap positions i and i+1 (including the check digit)
          const a = full[i] as string;
          const b = full[i + 1] as string;
          fc.pre(a !== b);
          const swapped = full.slice(0, i) + b + a + full.slice(i + 2);
          expect(dammValid(swapped)).toBe(false);
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('exhaustively: for every prefix of three digits, every substitution and swap of the next two is caught', () => {
    for (let prefix = 0; prefix < 1000; prefix++) {
      const p = String(prefix).padStart(3, '0');
      for (let x = 0; x < 10; x++) {
        for (let y = 0; y < 10; y++) {
          if (x === y) continue;
          const check = dammDigit(`${p}${x}${y}`);
          expect(dammValid(`${p}${x}${y}${check}`)).toBe(true);
          expect(dammValid(`${p}${y}${x}${check}`)).toBe(false); // adjacent transposition
          expect(dammValid(`${p}${y}${y}${check}`)).toBe(false); // substitution x → y
        }
      }
    }
  });
});

describe('evidence numbers', () => {
  it('reads the design examples in both forms, any case, with whitespace', () => {
    for (const text of ['EV2600671238', 'EV-26-0067123-8', ' ev2600671238\t', 'ev-26-0067123-8\r\n']) {
      expect(parseEvidenceNo(text)).toEqual({
        compact: 'EV2600671238',
        printed: 'EV-26-0067123-8',
        year: 26,
        serial: 67123,
      });
    }
  });

  it('round-trips format → parse for every year and serial, in both forms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9_999_999 }), (year, serial) => {
        const ev = formatEvidenceNo(year, serial);
        expect(ev.compact).toMatch(/^EV\d{10}$/);
        expect(ev.printed).toMatch(/^EV-\d{2}-\d{7}-\d$/);
        expect(parseEvidenceNo(ev.compact)).toEqual(ev);
        expect(parseEvidenceNo(ev.printed.toLowerCase())).toEqual(ev);
      }),
    );
  });

  it('refuses every single-digit error and adjacent transposition with invalid_check_digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.nat(9),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (year, serial, pos, delta, transpose) => {
          const d = formatEvidenceNo(year, serial).compact.slice(2); // ten digits incl. check
          let wrong: string;
          if (transpose) {
            const i = pos % 9;
            fc.pre(d[i] !== d[i + 1]);
            wrong = d.slice(0, i) + d[i + 1] + d[i] + d.slice(i + 2);
          } else {
            wrong = d.slice(0, pos) + String((Number(d[pos]) + delta) % 10) + d.slice(pos + 1);
          }
          expect(codeOf(() => parseEvidenceNo(`EV${wrong}`))).toBe('invalid_check_digit');
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses malformed text with invalid_evidence_number', () => {
    for (const text of [
      '',
      'EV',
      'EV260067123',
      'EV26006712388',
      'LC00012340',
      'EV-26-0067123',
      'EV 26 0067123 8',
      'EV2600671２38',
      'XX2600671238',
    ]) {
      expect(codeOf(() => parseEvidenceNo(text))).toBe('invalid_evidence_number');
    }
  });
});

describe('location codes', () => {
  it('reads the design examples in both forms, any case', () => {
    for (const text of ['LC00012340', 'LC-0001234-0', ' lc-0001234-0 ']) {
      expect(parseLocationCode(text)).toEqual({
        compact: 'LC00012340',
        printed: 'LC-0001234-0',
        serial: 1234,
      });
    }
  });

  it('round-trips and refuses every single-digit error and adjacent transposition', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.nat(7),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (serial, pos, delta, transpose) => {
          const lc = formatLocationCode(serial);
          expect(parseLocationCode(lc.printed)).toEqual(lc);
          expect(parseLocationCode(lc.compact.toLowerCase())).toEqual(lc);
          const d = lc.compact.slice(2);
          let wrong: string;
          if (transpose) {
            const i = pos % 7;
            fc.pre(d[i] !== d[i + 1]);
            wrong = d.slice(0, i) + d[i + 1] + d[i] + d.slice(i + 2);
          } else {
            wrong = d.slice(0, pos) + String((Number(d[pos]) + delta) % 10) + d.slice(pos + 1);
          }
          expect(codeOf(() => parseLocationCode(`LC${wrong}`))).toBe('invalid_check_digit');
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses malformed text with invalid_location_code', () => {
    for (const text of ['', 'LC0001234', 'LC000123400', 'EV2600671238', 'LC-001234-0']) {
      expect(codeOf(() => parseLocationCode(text))).toBe('invalid_location_code');
    }
  });
});
