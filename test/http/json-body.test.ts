import { describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../src/http/json-body';
import { AppError } from '../../src/lib/errors';

/** The refusal parseStrictJson throws for `text`, as its code and extra fields. */
function refusal(text: string | Buffer): { code: string; extra: Record<string, unknown> } {
  try {
    parseStrictJson(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, extra: err.extra };
    throw err;
  }
  throw new Error(`accepted: ${String(text).slice(0, 80)}`);
}

describe('parseStrictJson: the member scan reads UTF-8 bytes', () => {
  it('finds a duplicate among multi-byte names and after strings that end in escaped quotes and backslashes', () => {
    const text = '{"a":"x\\"","b":"\\\\","c":["\\\\\\"]",1,true],"Қоймa ⅓":1,"ә":{"Қоймa ⅓":2},"Қоймa ⅓":3}';
    expect(refusal(text)).toEqual({ code: 'duplicate_member', extra: { path: '', member: 'Қоймa ⅓' } });
    // The nested object holds the name once: only the top level names it twice.
    expect(parseStrictJson(Buffer.from(text.replace(/,"Қоймa ⅓":3}$/, '}')))).toMatchObject({
      ә: { 'Қоймa ⅓': 2 },
    });
  });

  it('counts array elements across strings, numbers, literals and nested values to name the path', () => {
    const text = '[ "x", -1, 2.5e3, null, false, {"k":[]}, ["\\u0041"], {"n":1,"n":2} ]';
    expect(refusal(text)).toEqual({ code: 'duplicate_member', extra: { path: '7', member: 'n' } });
  });

  it('skips a leading byte-order mark and finds a lone surrogate after multi-byte text', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const ok = Buffer.concat([bom, Buffer.from('{"ключ":"значение ⅓ 𝄞"}')]);
    expect(parseStrictJson(ok)).toEqual({ ключ: 'значение ⅓ 𝄞' });
    const bad = Buffer.concat([bom, Buffer.from('{"ключ":["ә","\\ud800"]}')]);
    expect(refusal(bad)).toEqual({ code: 'invalid_unicode', extra: { path: 'ключ.1' } });
  });

  it('reads a 100,000-number label list, again and again, and still finds a duplicate planted after it', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `EV26${String(i).padStart(8, '0')}`);
    const body = Buffer.from(JSON.stringify({ items, format: '2x1', skipMissing: true }));
    // Several passes, so the loop runs optimised as it does in a long-lived service.
    for (let k = 0; k < 6; k++)
      expect((parseStrictJson(body) as { items: string[] }).items).toHaveLength(100_000);
    const twice = Buffer.from(`${body.toString('utf8').slice(0, -1)},"format":"4x2"}`);
    expect(refusal(twice)).toEqual({ code: 'duplicate_member', extra: { path: '', member: 'format' } });
  });
});
