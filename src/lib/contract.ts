import { z } from './zod';

/** RFC 3339 with an offset (`Z` or ±hh:mm): when the fact happened, as the client's clock says. */
export const OccurredAtSchema = z.iso.datetime({ offset: true, precision: undefined }).openapi({
  description:
    'When it happened, RFC 3339 with offset (e.g. 2026-03-14T09:30:00+05:00). Defaults to now; never in the future.',
  example: '2026-03-14T09:30:00+05:00',
});

export const IsoDateSchema = z.iso.date().openapi({ example: '2022-03-01' });

/** A query-string boolean: exactly `true` or `false` (not yes/1/on), so a typo is refused. */
export const BooleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .openapi({ type: 'boolean', description: 'true or false' });

/**
 * A whole number in a query string, in plain digits from `min` to `max`. Plain `z.coerce.number()`
 * turns a missing or misspelt value into NaN ("expected number, received NaN") and quietly reads
 * `1e3` or `0x10`; this says what is expected instead. The route's validation names the parameter.
 */
export function queryInteger(options: { min: number; max?: number; example: number; description: string }) {
  const { min, example } = options;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const range = max === Number.MAX_SAFE_INTEGER ? `from ${min}` : `from ${min} to ${max}`;
  const expected = `a whole number ${range} in digits, e.g. ${example}`;
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `is required: ${expected}` : `expected ${expected}`),
    })
    .transform((text, ctx) => {
      const value = /^[0-9]{1,16}$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
      const shown = JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text);
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: text === '' ? `is empty: give ${expected}` : `${shown} is not ${expected}`,
      });
      return z.NEVER;
    })
    .openapi({ type: 'integer', minimum: min, maximum: max, example, description: options.description });
}

export const PageQuery = z.object({
  limit: queryInteger({
    min: 1,
    max: 500,
    example: 50,
    description: 'Page size, 1–500 (default 50)',
  }).default(50),
  cursor: z.string().max(500).optional(),
});

export function pageOf<T>(items: T[], nextCursor: string | null) {
  return { items, nextCursor };
}

export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

/** An evidence number as a client may write it: compact or printed, any case (lib/codes parses it). */
export const EvidenceNoInput = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .openapi({ description: 'Evidence number, compact or printed, any case', example: 'EV-26-0067123-8' });

/** The one `:evidenceNo` path parameter, shared by every route under /items/:evidenceNo. */
export const EvidenceNoParams = z.object({ evidenceNo: EvidenceNoInput });
