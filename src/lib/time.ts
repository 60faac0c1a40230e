import { AppError } from './errors';

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
