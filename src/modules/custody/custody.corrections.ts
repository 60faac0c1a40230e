import type { Db } from '../../db/open';
import { entityEventTypesAfter, eventRowAt } from '../../ledger/events-read';
import type { EventData } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import { checkNotBefore, checkOccurredAt } from '../../lib/time';
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
  if (targetType && (CUSTODY_EVENT_TYPES as readonly string[]).includes(targetType)) {
    const kept = Object.fromEntries(Object.entries(original).filter(([k]) => !DERIVED_MEMBERS.includes(k)));
    const parsed = CustodyEventBody.safeParse({ ...kept, ...input.fields, type: targetType });
    if (!parsed.success) throw zodFieldError(parsed.error);
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
