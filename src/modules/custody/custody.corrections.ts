import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { entityEventTypesAfter, eventRowAt } from '../../ledger/events-read';
import type { EventData } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import { checkNotAfterToday, checkNotBefore, checkOccurredAt, compareInstants } from '../../lib/time';
import type { z } from '../../lib/zod';
import { CustodyEventBody, type CustodyEventInput, RegistrationCorrection } from './custody.contract';
import { columnsFedBy, columnsOf, type EffectType } from './custody.effects';
import { DERIVED_MEMBERS, type FactInput, type Lookups, normalize } from './custody.references';
import { type CustodyState, type TimeBounds, timeOrder } from './custody.state';
import { CUSTODY_EVENT_TYPES, itemEventTypeOf } from './state-machine';

export type CorrectionInput = Extract<CustodyEventInput, { type: 'correction' }>;

/**
 * The data of a correction: validated against the corrected event's own schema (a custody event is
 * re-validated whole, as if it had been posted so), then told whether it is still current.
 */
export function correctionData(
  db: Db,
  now: Date,
  state: CustodyState,
  bounds: TimeBounds,
  input: CorrectionInput,
  lookups: Lookups,
): EventData {
  const target = eventRowAt(db, input.corrects);
  if (target?.entity_type !== 'item' || target.entity_id !== state.evidenceNo) {
    throw new AppError(
      'correction_target_invalid',
      `event ${input.corrects} is not an event of item ${state.evidenceNo}`,
      { field: 'corrects', corrects: input.corrects },
    );
  }
  const targetType: EffectType | null =
    target.type === 'item_registered' ? 'registered' : itemEventTypeOf(target.type);
  if (targetType === 'correction') {
    throw new AppError(
      'correction_target_invalid',
      `event ${input.corrects} is itself a correction: correct the original event (seq ${(JSON.parse(target.data) as { corrects: number }).corrects})`,
      { field: 'corrects', corrects: input.corrects },
    );
  }
  const original = JSON.parse(target.data) as EventData;
  for (const key of Object.keys(input.fields)) {
    if (key === 'type' || DERIVED_MEMBERS.includes(key)) {
      throw fieldError(`fields.${key}`, `"${key}" cannot be corrected`);
    }
  }
  if (typeof input.fields.occurredAt === 'string') {
    // A corrected time stays in the future check and after the seizure and the registration.
    checkOccurredAt(input.fields.occurredAt, now);
    const before = timeOrder(bounds).slice(0, targetType === 'registered' ? 1 : 2);
    checkNotBefore(input.fields.occurredAt, now, before);
  }
  let fields: EventData;
  if (typeof input.fields.occurredAt === 'string' && targetType !== 'registered') {
    checkBetweenNeighbours(db, state.evidenceNo, target.seq, input.fields.occurredAt);
  }
  if (targetType && (CUSTODY_EVENT_TYPES as readonly string[]).includes(targetType)) {
    const kept = Object.fromEntries(Object.entries(original).filter(([k]) => !DERIVED_MEMBERS.includes(k)));
    const parsed = CustodyEventBody.safeParse({ ...kept, ...input.fields, type: targetType });
    if (!parsed.success) throw zodFieldError(parsed.error);
    // A corrected asOf is a date entered now: it may not be after today either.
    if (targetType === 'valued' && typeof input.fields.asOf === 'string')
      checkNotAfterToday(input.fields.asOf, now, input.occurredAt, 'fields.asOf');
    const normalized = normalize(db, now, parsed.data as FactInput, lookups, true);
    fields = Object.fromEntries(Object.keys(input.fields).map((k) => [k, normalized[k] ?? input.fields[k]]));
  } else if (targetType === 'registered') {
    const parsed = RegistrationCorrection.safeParse(input.fields);
    if (!parsed.success) throw zodFieldError(parsed.error);
    fields = parsed.data;
  } else {
    // Workflow events: a member recorded there, with a value of the same JSON kind.
    for (const [key, value] of Object.entries(input.fields)) {
      if (!(key in original)) throw fieldError(`fields.${key}`, `event ${target.seq} has no "${key}"`);
      if (jsonKind(value) !== jsonKind(original[key])) {
        throw fieldError(`fields.${key}`, `"${key}" must stay a ${jsonKind(original[key])}`);
      }
    }
    fields = input.fields as EventData;
  }
  return {
    corrects: target.seq,
    correctsType: target.type,
    reason: input.reason,
    fields,
    updatesCurrent: targetType
      ? updatesCurrent(db, state, target.seq, targetType, Object.keys(fields))
      : false,
  };
}

/** True when no later event of the item sets any column the corrected members feed. */
function updatesCurrent(
  db: Db,
  state: CustodyState,
  seq: number,
  type: EffectType,
  members: string[],
): boolean {
  const columns = new Set(columnsFedBy(type, members));
  if (columns.size === 0) return false;
  return !entityEventTypesAfter(db, 'item', state.evidenceNo, seq).some((ledgerType) => {
    const t = itemEventTypeOf(ledgerType);
    return t !== null && columnsOf(t).some((c) => columns.has(c));
  });
}

function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function zodFieldError(error: z.ZodError) {
  const issue = error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  return fieldError(`fields.${path}`, issue?.message ?? 'not valid', error.issues.length);
}

function fieldError(path: string, message: string, count = 1) {
  return new AppError('validation_failed', `body ${path}: ${message}`, {
    errors: [{ in: 'body', path, message, issue: 'custom' }],
    ...(count > 1 ? { more: count - 1 } : {}),
  });
}

// An item event's time as it now reads: the latest correction of its occurredAt, else as recorded.
const NEIGHBOUR = (
  side: 'before' | 'after',
) => `SELECT e.seq, COALESCE((SELECT json_extract(c.data, '$.fields.occurredAt')
    FROM events c WHERE c.entity_type = 'item' AND c.entity_id = e.entity_id AND c.type = 'item_correction'
      AND json_extract(c.data, '$.corrects') = e.seq AND json_extract(c.data, '$.fields.occurredAt') IS NOT NULL
    ORDER BY c.seq DESC LIMIT 1), e.occurred_at) AS at
  FROM events e WHERE e.entity_type = 'item' AND e.entity_id = ? AND e.type <> 'item_correction'
    AND e.seq ${side === 'before' ? '<' : '>'} ? ORDER BY e.seq ${side === 'before' ? 'DESC' : 'ASC'} LIMIT 1`;
const NEIGHBOUR_BEFORE = NEIGHBOUR('before');
const NEIGHBOUR_AFTER = NEIGHBOUR('after');

/**
 * A corrected time keeps the event in its place in the item's history: not before the event it
 * follows, not after the event that follows it (corrections themselves aside, as they now read).
 */
function checkBetweenNeighbours(db: Db, evidenceNo: string, seq: number, occurredAt: string): void {
  const before = prepared(db, NEIGHBOUR_BEFORE).get(evidenceNo, seq) as Neighbour | undefined;
  if (before && compareInstants(occurredAt, before.at) < 0) {
    throw new AppError(
      'occurred_before_previous_event',
      `occurredAt ${occurredAt} is before the event seq ${seq} follows (seq ${before.seq}, at ${before.at})`,
      { field: 'fields.occurredAt', notBefore: before.at, boundSeq: before.seq },
    );
  }
  const after = prepared(db, NEIGHBOUR_AFTER).get(evidenceNo, seq) as Neighbour | undefined;
  if (after && compareInstants(occurredAt, after.at) > 0) {
    throw new AppError(
      'occurred_after_next_event',
      `occurredAt ${occurredAt} is after the event that follows seq ${seq} (seq ${after.seq}, at ${after.at})`,
      { field: 'fields.occurredAt', notAfter: after.at, boundSeq: after.seq },
    );
  }
}

interface Neighbour {
  seq: number;
  at: string;
}
