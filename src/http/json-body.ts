import { AppError } from '../lib/errors';

/**
 * Strict JSON for request bodies (RFC 8259 as I-JSON, RFC 7493, narrows it): the bytes must be
 * UTF-8, no string may hold a lone UTF-16 surrogate (written as a `\ud800` escape), and no object
 * may name a member twice. JSON.parse accepts all three (the last duplicate silently wins), and the
 * ledger's RFC 8785 canonical form has no text for a lone surrogate, so each is refused here, before
 * anything reaches a service.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** With the `u` flag a paired surrogate is one code point, so this matches only lone halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Decodes, parses and checks one JSON body; throws an AppError naming what is wrong. */
export function parseStrictJson(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body); // also drops a leading byte-order mark
  } catch {
    const offset = firstInvalidUtf8(body);
    throw new AppError(
      'invalid_encoding',
      `the body is not valid UTF-8 (first bad byte at offset ${offset}); send JSON as UTF-8`,
      { offset },
    );
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object') {
    throw new AppError('invalid_json', 'the body must be a JSON object or array');
  }
  const fault = scanMembers(text);
  if (fault?.kind === 'surrogate') {
    throw new AppError(
      'invalid_unicode',
      `${fault.inName ? 'a member name in ' : ''}${where(fault.path)}holds a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF escape); send Unicode text`,
      { path: fault.path },
    );
  }
  if (fault?.kind === 'duplicate') {
    throw new AppError(
      'duplicate_member',
      `${where(fault.path)}names the member ${JSON.stringify(fault.name)} more than once; name each member once`,
      { path: fault.path, member: fault.name },
    );
  }
  return value;
}

function where(path: string): string {
  return path === '' ? 'the body ' : `the body at ${path} `;
}

type Fault =
  | { kind: 'surrogate'; path: string; inName: boolean }
  | { kind: 'duplicate'; path: string; name: string };

interface Level {
  /** Member names seen so far (objects), or null (arrays). */
  names: Set<string> | null;
  /** The member name or array index the scan is inside. */
  at: string | number;
}

/**
 * One pass over text JSON.parse has already accepted (so its syntax is valid): strings are skipped
 * with indexOf, only strings holding an escape are decoded, and each object keeps a Set of names.
 */
function scanMembers(text: string): Fault | null {
  const stack: Level[] = [];
  const pathTo = (depth: number) =>
    stack
      .slice(0, depth)
      .map((l) => l.at)
      .join('.');
  let nextEscape = text.indexOf('\\');
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x22) {
      // A string: find its closing quote (one not preceded by an odd run of backslashes).
      let end = text.indexOf('"', i + 1);
      while (isEscaped(text, end)) end = text.indexOf('"', end + 1);
      while (nextEscape !== -1 && nextEscape < i) nextEscape = text.indexOf('\\', nextEscape + 1);
      const escaped = nextEscape !== -1 && nextEscape < end;
      const isName = top?.names != null && isFollowedByColon(text, end + 1);
      const value = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
      if (top && !isName && top.names === null) top.at = (top.at as number) + 1;
      if (escaped && LONE_SURROGATE.test(value))
        return { kind: 'surrogate', path: pathTo(isName ? stack.length - 1 : stack.length), inName: isName };
      if (isName && top?.names) {
        if (top.names.has(value)) return { kind: 'duplicate', path: pathTo(stack.length - 1), name: value };
        top.names.add(value);
        top.at = value;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (top?.names === null) top.at = (top.at as number) + 1;
      stack.push(c === 0x7b ? { names: new Set(), at: '' } : { names: null, at: -1 });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (top?.names === null && startsScalar(text, i, c)) {
      top.at = (top.at as number) + 1;
    }
  }
  return null;
}

/** A number, true, false or null begins here (only asked inside arrays, to count elements). */
function startsScalar(text: string, i: number, c: number): boolean {
  if (!(c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)) return false;
  const prev = text.charCodeAt(i - 1);
  return prev === 0x5b || prev === 0x2c || isSpace(prev);
}

function isFollowedByColon(text: string, from: number): boolean {
  let j = from;
  while (isSpace(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 0x3a;
}

function isEscaped(text: string, quote: number): boolean {
  let k = quote - 1;
  while (text.charCodeAt(k) === 0x5c) k--;
  return (quote - 1 - k) % 2 === 1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The offset of the first byte that breaks UTF-8 (only called once a decode has failed). */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len =
      c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    for (let k = 1; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1]!;
    // Overlong three- and four-byte forms, encoded surrogates, and code points past U+10FFFF.
    if (c === 0xe0 && c1 < 0xa0) return i;
    if (c === 0xed && c1 >= 0xa0) return i;
    if (c === 0xf0 && c1 < 0x90) return i;
    if (c === 0xf4 && c1 >= 0x90) return i;
    i += len;
  }
  return i;
}
