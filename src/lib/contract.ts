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

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
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
