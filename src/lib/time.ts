import { AppError, type ErrorCode } from './errors';

/** Clock skew tolerated between a client and the server before a time counts as "in the future". */
export const FUTURE_SKEW_MS = 60_000;

/** The deployment's time zone: Kazakhstan, one zone at UTC+5 since 1 March 2024 (the east was UTC+6). */
export const LOCAL_OFFSET_MINUTES = 300;

/**
 * "Today" for a date a user enters (a valuation's asOf): the date in Kazakhstan time (UTC+5) — or the
 * date of the event's occurredAt in the offset it is written with, when that is later (a device still
 * on UTC+6 just after its midnight). occurredAt is never in the future, so that is a today too.
 */
export function todayFor(now: Date, occurredAt?: string): string {
  const local = new Date(now.getTime() + LOCAL_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
  const stated = occurredAt?.slice(0, 10);
  return stated !== undefined && stated > local ? stated : local;
}

/** Refuses (400 as_of_in_future) a date after todayFor(now, occurredAt), naming today and its zone. */
export function checkNotAfterToday(
  date: string,
  now: Date,
  occurredAt: string | undefined,
  field: string,
): void {
  const today = todayFor(now, occurredAt);
  if (date <= today) return;
  throw new AppError(
    'as_of_in_future',
    `${field} ${date} is after today, ${today}: today is the date in Kazakhstan time (UTC+5), or in the offset of occurredAt when that date is later`,
    { field, today },
  );
}

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
