import { AppError } from './errors';
import { z } from './zod';

/** RFC 3339 with an offset (`Z` or ±hh:mm): when the fact happened, as the client's clock says. */
export const OccurredAtSchema = z.iso.datetime({ offset: true, precision: undefined }).openapi({
  description:
    'When it happened, RFC 3339 with offset (e.g. 2026-03-14T09:30:00+05:00). Defaults to now; never in the future.',
  example: '2026-03-14T09:30:00+05:00',
});

/** Clock skew tolerated between a client and the server before a time counts as "in the future". */
export const FUTURE_SKEW_MS = 60_000;

export function checkOccurredAt(occurredAt: string | undefined, now: Date): void {
  if (occurredAt === undefined) return;
  if (Date.parse(occurredAt) > now.getTime() + FUTURE_SKEW_MS) {
    throw new AppError('occurred_in_future', `occurredAt ${occurredAt} is in the future`, {
      field: 'occurredAt',
    });
  }
}

export const IsoDateSchema = z.iso.date().openapi({ example: '2022-03-01' });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export function pageOf<T>(items: T[], nextCursor: string | null) {
  return { items, nextCursor };
}

export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
