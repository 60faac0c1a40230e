import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { EventData, Tx } from '../../ledger/types';
import { type EvidenceNo, parseEvidenceNo } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import { checkOccurredAt, FUTURE_SKEW_MS } from '../../lib/time';
import type { z } from '../../lib/zod';
import type { ItemStatus } from '../items/items.enums';
import type { ItemRow } from '../items/items.service';
import { getLocation } from '../locations/locations.service';
import { getParty } from '../parties/parties.service';
import { allows } from '../users/roles';
import type { AuthUser } from '../users/users.service';
import { findUser } from '../users/users.service';
import { isCurrency } from './currencies';
import { CustodyEventBody, type CustodyEventInput, RegistrationCorrection } from './custody.contract';
import { columnsFedBy, columnsOf, type EffectType } from './custody.effects';
import {
  allowedTypes,
  CUSTODY_EVENT_TYPES,
  type CustodyEventType,
  itemEventTypeOf,
  ledgerType,
  nextStatus,
} from './state-machine';

export interface CustodyState {
  evidenceNo: string;
  status: ItemStatus;
  locationCode: string | null;
  custodianUserId: string | null;
  holderPartyId: string | null;
  checkoutPurpose: string | null;
  dueAt: string | null;
  sealNo: string | null;
  condition: string | null;
  valuation: { amountMinor: number; currency: string; asOf: string } | null;
  lastSeq: number;
}

/** The custody columns of an item row (the items module owns the row's shape). */
type CustodyRow = Pick<
  ItemRow,
  | 'evidence_no'
  | 'status'
  | 'location_code'
  | 'custodian_user_id'
  | 'holder_party_id'
  | 'checkout_purpose'
  | 'due_at'
  | 'seal_no'
  | 'condition'
  | 'value_minor'
  | 'value_currency'
  | 'value_as_of'
  | 'last_seq'
>;

const SELECT_STATE = `SELECT evidence_no, status, location_code, custodian_user_id, holder_party_id,
  checkout_purpose, due_at, seal_no, condition, value_minor, value_currency, value_as_of, last_seq
  FROM items WHERE evidence_no = ?`;

const toState = (r: CustodyRow): CustodyState => ({
  evidenceNo: r.evidence_no,
  status: r.status,
  locationCode: r.location_code,
  custodianUserId: r.custodian_user_id,
  holderPartyId: r.holder_party_id,
  checkoutPurpose: r.checkout_purpose,
  dueAt: r.due_at,
  sealNo: r.seal_no,
  condition: r.condition,
  valuation:
    r.value_minor === null || r.value_currency === null || r.value_as_of === null
      ? null
      : { amountMinor: r.value_minor, currency: r.value_currency, asOf: r.value_as_of },
  lastSeq: r.last_seq,
});

/** Parses the number (either form, any case) and loads the item's custody state; 404 item_not_found. */
export function getCustodyState(db: Db, evidenceNoText: string): CustodyState & { parsed: EvidenceNo } {
  const parsed = parseEvidenceNo(evidenceNoText);
  const row = prepared(db, SELECT_STATE).get(parsed.compact) as CustodyRow | undefined;
  if (!row) {
    throw new AppError('item_not_found', `no item "${parsed.compact}"`, { evidenceNo: parsed.compact });
  }
  return { ...toState(row), parsed };
}

/** Lookups repeated across a batch (240 items moved to one shelf look the shelf up once). */
export interface Lookups {
  locations: Map<string, string>;
  parties: Set<string>;
}

export const newLookups = (): Lookups => ({ locations: new Map(), parties: new Set() });

function locationOf(db: Db, text: string, lookups: Lookups): string {
  const hit = lookups.locations.get(text);
  if (hit) return hit;
  const code = getLocation(db, text).code;
  lookups.locations.set(text, code);
  return code;
}

function partyOf(db: Db, partyId: string, lookups: Lookups): string {
  if (!lookups.parties.has(partyId)) {
    getParty(db, partyId);
    lookups.parties.add(partyId);
  }
  return partyId;
}

/** Members the service adds from the item's state, for the record; never taken from a client. */
const DERIVED_MEMBERS = ['fromLocationCode', 'fromCustodian', 'fromPartyId', 'previousSealNo'] as const;

/**
 * Checks an event's references and turns it into the data recorded: codes in compact form, user
 * names resolved to ids. `forCorrection` skips the checks that hold only at the time of the fact.
 */
function normalize(
  db: Db,
  now: Date,
  input: Exclude<CustodyEventInput, { type: 'correction' }>,
  lookups: Lookups,
  forCorrection = false,
): EventData {
  const { type: _type, occurredAt: _occurredAt, ...data } = input;
  switch (input.type) {
    case 'received':
    case 'moved':
    case 'returned':
      return { ...data, locationCode: locationOf(db, input.locationCode, lookups) };
    case 'transferred': {
      const user = findUser(db, input.custodian);
      if (!user) {
        throw new AppError('user_not_found', `no user "${input.custodian}"`, { field: 'custodian' });
      }
      if (user.disabled && !forCorrection) {
        throw new AppError('user_disabled', `the user "${user.username}" is disabled`, {
          field: 'custodian',
        });
      }
      return { ...data, custodian: user.id };
    }
    case 'checked_out':
      partyOf(db, input.partyId, lookups);
      if (!forCorrection && Date.parse(input.dueAt) < now.getTime() - FUTURE_SKEW_MS) {
        throw new AppError('due_in_past', `dueAt ${input.dueAt} is in the past`, { field: 'dueAt' });
      }
      return data;
    case 'examined':
      if (input.partyId !== undefined) partyOf(db, input.partyId, lookups);
      return data;
    case 'valued':
      if (!/^[A-Z]{3}$/.test(input.currency) || !isCurrency(input.currency)) {
        throw new AppError(
          'invalid_currency',
          `"${input.currency.slice(0, 16)}" is not an ISO 4217 currency code (three upper-case letters, e.g. USD, KZT)`,
          { field: 'currency' },
        );
      }
      return data;
    default:
      return data;
  }
}

/** The members recorded from the item's state before the event (who handed it over, from where). */
function derivedFrom(type: CustodyEventType, state: CustodyState): EventData {
  switch (type) {
    case 'moved':
      return state.locationCode ? { fromLocationCode: state.locationCode } : {};
    case 'transferred':
      return state.custodianUserId ? { fromCustodian: state.custodianUserId } : {};
    case 'returned':
      return state.holderPartyId ? { fromPartyId: state.holderPartyId } : {};
    case 'seal_changed':
      return state.sealNo ? { previousSealNo: state.sealNo } : {};
    default:
      return {};
  }
}

interface EventRow {
  seq: number;
  type: string;
  entity_type: string;
  entity_id: string;
  data: string;
}

/** A correction: validated against the corrected event's own schema, then told whether it is still current. */
function correctionData(
  db: Db,
  now: Date,
  state: CustodyState,
  input: Extract<CustodyEventInput, { type: 'correction' }>,
  lookups: Lookups,
): EventData {
  const target = prepared(db, 'SELECT seq, type, entity_type, entity_id, data FROM events WHERE seq = ?').get(
    input.corrects,
  ) as EventRow | undefined;
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
    if (key === 'type' || (DERIVED_MEMBERS as readonly string[]).includes(key)) {
      throw fieldError(`fields.${key}`, `"${key}" cannot be corrected`);
    }
  }
  if (typeof input.fields.occurredAt === 'string') checkOccurredAt(input.fields.occurredAt, now);
  let fields: EventData;
  if (targetType && (CUSTODY_EVENT_TYPES as readonly string[]).includes(targetType)) {
    // Re-validate the corrected event as a whole, exactly as if it had been posted so.
    const kept = Object.fromEntries(
      Object.entries(original).filter(([k]) => !(DERIVED_MEMBERS as readonly string[]).includes(k)),
    );
    const parsed = CustodyEventBody.safeParse({ ...kept, ...input.fields, type: targetType });
    if (!parsed.success) throw zodFieldError(parsed.error);
    const normalized = normalize(
      db,
      now,
      parsed.data as Exclude<CustodyEventInput, { type: 'correction' }>,
      lookups,
      true,
    );
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
  const later = prepared(
    db,
    `SELECT type FROM events WHERE entity_type = 'item' AND entity_id = ? AND seq > ? ORDER BY seq`,
  ).all(state.evidenceNo, seq) as { type: string }[];
  return !later.some((e) => {
    const t = itemEventTypeOf(e.type);
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

export interface Recorded {
  seq: number;
  type: CustodyEventType;
  ledgerType: string;
  occurredAt: string;
  recordedAt: string;
  item: CustodyState;
}

/**
 * Records one custody event for one item: parse the number, check the occurredAt, the role
 * (corrections are a supervisor's), the state machine, the references — then append. Any refusal
 * throws before the append, so nothing is written.
 */
export function recordEvent(
  tx: Tx,
  evidenceNoText: string,
  input: CustodyEventInput,
  user: Pick<AuthUser, 'id' | 'role'>,
  lookups: Lookups = newLookups(),
): Recorded {
  checkOccurredAt(input.occurredAt, tx.now);
  if (input.type === 'correction' && !allows('supervise', user.role)) {
    throw new AppError('forbidden', `the ${user.role} role may not post corrections; a supervisor may`, {
      role: user.role,
      requires: 'supervise',
    });
  }
  const state = getCustodyState(tx.db, evidenceNoText);
  const next = nextStatus(state.status, input.type);
  if (!next) {
    const allowed = allowedTypes(state.status).filter((t) =>
      (CUSTODY_EVENT_TYPES as readonly string[]).includes(t),
    );
    throw new AppError(
      'invalid_transition',
      `a ${state.status.replace(/_/g, ' ')} item cannot be ${input.type.replace(/_/g, ' ')}; allowed: ${allowed.join(', ')}`,
      {
        evidenceNo: state.evidenceNo,
        eventType: input.type,
        currentStatus: state.status,
        allowedTypes: allowed,
      },
    );
  }
  const data =
    input.type === 'correction'
      ? correctionData(tx.db, tx.now, state, input, lookups)
      : { ...normalize(tx.db, tx.now, input, lookups), ...derivedFrom(input.type, state) };
  const event = tx.append({
    type: ledgerType(input.type),
    entityType: 'item',
    entityId: state.evidenceNo,
    actor: user.id,
    occurredAt: input.occurredAt,
    data,
  });
  const after = prepared(tx.db, SELECT_STATE).get(state.evidenceNo) as CustodyRow;
  return {
    seq: event.seq,
    type: input.type,
    ledgerType: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    item: toState(after),
  };
}

export interface BatchEntry {
  evidenceNo: string;
  event: Record<string, unknown>;
}

export interface BatchError {
  index: number;
  evidenceNo: string;
  code: string;
  detail: string;
  [member: string]: unknown;
}

/**
 * One scan session, all or none: every entry is validated and recorded in order inside one unit
 * of work (so an item received and then moved in the same batch works); if any entry is refused,
 * the unit throws batch_invalid listing every refused entry, and the ledger rolls all of it back.
 */
export function recordBatch(tx: Tx, entries: BatchEntry[], user: Pick<AuthUser, 'id' | 'role'>) {
  const lookups = newLookups();
  const errors: BatchError[] = [];
  const done: { evidenceNo: string; seq: number; status: ItemStatus }[] = [];
  entries.forEach((entry, index) => {
    try {
      const parsed = CustodyEventBody.safeParse(entry.event);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue ? issue.path.map(String).join('.') : '';
        throw new AppError(
          'validation_failed',
          `event${path ? ` ${path}` : ''}: ${issue?.message ?? 'not valid'}`,
          {
            path,
          },
        );
      }
      const r = recordEvent(tx, entry.evidenceNo, parsed.data, user, lookups);
      done.push({ evidenceNo: r.item.evidenceNo, seq: r.seq, status: r.item.status });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const { errors: _nested, ...extra } = err.extra;
      errors.push({ ...extra, index, evidenceNo: entry.evidenceNo, code: err.code, detail: err.message });
    }
  });
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new AppError(
      'batch_invalid',
      `${errors.length} of ${entries.length} entries refused (first: #${first.index} ${first.evidenceNo}: ${first.code}); nothing was recorded`,
      { errors },
    );
  }
  const first = done[0]!;
  const last = done[done.length - 1]!;
  return { count: done.length, firstSeq: first.seq, lastSeq: last.seq, items: done };
}
