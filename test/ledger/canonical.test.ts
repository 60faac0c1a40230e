import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEventText, canonicalJson } from '../../src/ledger/canonical';

const jsonValue = fc.jsonValue({ maxDepth: 4 });

const envelope = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  type: fc.string(),
  entityType: fc.string(),
  entityId: fc.string({ unit: 'binary' }),
  occurredAt: fc.string(),
  recordedAt: fc.string(),
  actor: fc.string({ unit: 'grapheme' }),
  prevHash: fc.string(),
});

describe('canonical JSON (RFC 8785)', () => {
  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), jsonValue), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });

  it('round-trips: parsing canonical text and canonicalising again gives the same bytes', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('prints numbers the one ES6 way (13.5, 1e+21, no -0)', () => {
    expect(canonicalJson({ h: 13.5, big: 1e21, z: -0, i: 3250 })).toBe(
      '{"big":1e+21,"h":13.5,"i":3250,"z":0}',
    );
  });

  it('keeps unicode as UTF-8 text and sorts by UTF-16 code units', () => {
    expect(canonicalJson({ é: 1, z: 2, Қ: 'Ақмола', '\u{1F600}': 3 })).toBe(
      '{"z":2,"é":1,"Қ":"Ақмола","😀":3}',
    );
  });

  it('builds the event text exactly as canonicalize would from the whole event', () => {
    fc.assert(
      fc.property(envelope, fc.dictionary(fc.string(), jsonValue), (env, data) => {
        expect(canonicalEventText(env, canonicalJson(data))).toBe(canonicalJson({ ...env, data }));
      }),
      { numRuns: 500 },
    );
  });
});
