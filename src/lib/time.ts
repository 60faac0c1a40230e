import { AppError, type ErrorCode } from './errors';

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

/** A time an event may not precede: the code and words of its refusal, and the instant (RFC 3339). */
export interface TimeBound {
  code: Extract<ErrorCode, `occurred_before_${string}`>;
  /** What the bound is, in words ("the item's registration (seq 12)"). */
  what: string;
  at: string;
  seq?: number | undefined;
}

/**
 * Refuses (409) an occurredAt before any of the bounds, naming the first one it precedes. Without an
 * occurredAt the event is dated at its recording; a bound dated up to FUTURE_SKEW_MS ahead of the
 * server (a client clock running fast, which checkOccurredAt accepts) does not refuse it.
 */
export function checkNotBefore(
  occurredAt: string | undefined,
  now: Date,
  bounds: readonly TimeBound[],
): void {
  const shown = occurredAt ?? now.toISOString();
  for (const bound of bounds) {
    const before =
      occurredAt === undefined
        ? now.getTime() + FUTURE_SKEW_MS < Date.parse(bound.at)
        : compareInstants(occurredAt, bound.at) < 0;
    if (before) {
      throw new AppError(bound.code, `occurredAt ${shown} is before ${bound.what} at ${bound.at}`, {
        field: 'occurredAt',
        notBefore: bound.at,
        ...(bound.seq !== undefined ? { boundSeq: bound.seq } : {}),
      });
    }
  }
}

/**
 * Orders two RFC 3339 instants at the precision they were written in (negative: `a` first).
 * Date.parse stops at milliseconds, so "…00.0009Z" and "…00.0001Z" would tie; the digits after the
 * third decide then.
 */
export function compareInstants(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b) || subMillisecond(a) - subMillisecond(b);
}

const subMillisecond = (instant: string) => {
  const digits = /\.\d{3}(\d+)/.exec(instant)?.[1];
  return digits ? Number(`0.${digits}`) : 0;
};
