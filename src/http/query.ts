import type { ZodType } from 'zod';
import { AppError } from '../lib/errors';
import { redactTokens } from './redact';

/**
 * Strict query strings. A typo such as `?caseid=` must not be ignored (the answer would look like
 * the filtered list but be every item), so every name is checked against the route's query schema:
 * an unknown name, a name given twice for a single value, or malformed percent-encoding is refused.
 */

/** The names a route's query accepts, and which of them take a list (`?a=1&a=2`). */
export interface QueryShape {
  names: readonly string[];
  lists: ReadonlySet<string>;
}

type Def = { type?: string; shape?: Record<string, unknown>; in?: unknown; innerType?: unknown };
const defOf = (schema: unknown): Def | undefined =>
  (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** Reads the accepted names from a route's query schema (a zod object, possibly piped/refined). */
export function queryShapeOf(schema: ZodType | undefined, route: string): QueryShape {
  if (!schema) return { names: [], lists: new Set() };
  let def = defOf(schema);
  while (def && def.type === 'pipe') def = defOf(def.in);
  if (def?.type !== 'object' || !def.shape) {
    throw new Error(`${route}: a query schema must be a zod object, so its parameter names can be checked`);
  }
  const names = Object.keys(def.shape);
  const lists = new Set(names.filter((n) => isList(def.shape![n])));
  return { names, lists };
}

function isList(schema: unknown): boolean {
  let def = defOf(schema);
  for (let i = 0; def && i < 8; i++) {
    if (def.type === 'array') return true;
    def = defOf(def.type === 'pipe' ? def.in : def.innerType);
  }
  return false;
}

/**
 * `2026-03-14T09:30:00 05:00`: an RFC 3339 time whose `+` offset sign arrived unencoded and so was
 * decoded as a space (form encoding). A space is never valid there, so it can only have been a `+`.
 */
const SPACE_FOR_PLUS = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/;

function decode(part: string, whole: string): string {
  const text = part.includes('+') ? part.replace(/\+/g, ' ') : part;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AppError(
      'invalid_percent_encoding',
      `the query string has malformed percent-encoding in ${JSON.stringify(redactTokens(whole).slice(0, 80))}: ` +
        'each % must start a UTF-8 byte as %XX (write a literal % as %25)',
    );
  }
}

/** Parses and checks the query string of `url` against `shape`; the values go on to the zod schema. */
export function readQuery(url: string, shape: QueryShape): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const q = url.indexOf('?');
  if (q === -1) return out;
  const seen = new Map<string, string[]>();
  for (const pair of url.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq), pair);
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1), pair);
    if (!shape.names.includes(name)) throw unknownParameter(name, shape);
    const values = seen.get(name);
    if (values) values.push(value);
    else seen.set(name, [value]);
  }
  for (const [name, values] of seen) {
    if (shape.lists.has(name)) {
      out[name] = values;
    } else if (values.length > 1) {
      throw new AppError(
        'repeated_parameter',
        `the query parameter "${name}" is given ${values.length} times; give it once`,
        { parameter: name },
      );
    } else {
      const v = values[0]!;
      out[name] = v.includes(' ') ? v.replace(SPACE_FOR_PLUS, '$1+$2') : v;
    }
  }
  return out;
}

function unknownParameter(name: string, shape: QueryShape): AppError {
  const safe = redactTokens(name);
  const shown = JSON.stringify(safe.length > 40 ? `${safe.slice(0, 40)}…` : safe);
  const near = shape.names.find((n) => n.toLowerCase() === name.toLowerCase());
  const accepted =
    shape.names.length === 0
      ? 'this route takes no query parameters'
      : `it accepts ${shape.names.join(', ')}`;
  return new AppError(
    'unknown_parameter',
    `unknown query parameter ${shown}${near ? ` (did you mean "${near}"?)` : ''}; ${accepted}`,
    { parameter: safe, accepted: shape.names },
  );
}
