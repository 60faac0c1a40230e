import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { type EvidenceNo, parseEvidenceNo } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import type { TimeBound } from '../../lib/time';
import type { ItemStatus } from '../items/items.enums';
import type { ItemRow } from '../items/items.service';

/** An item's custody state, as the custody projector keeps it on the items row. */
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

/** The custody state of a compact evidence number, or null when no such item exists. */
export function findCustodyState(db: Db, compact: string): CustodyState | null {
  const row = prepared(db, SELECT_STATE).get(compact) as CustodyRow | undefined;
  return row ? toState(row) : null;
}

/** The times an item's next event may not precede, in the order they are checked. */
export interface TimeBounds {
  seizedAt: string;
  registeredAt: string;
  registeredSeq: number;
  lastAt: string;
  lastSeq: number;
}

/**
 * An item's state and its time bounds in one statement: the item row and three primary-key
 * lookups beside it (its seizure, its registration, its latest event). Every event on an item
 * reads it once, before the state machine and the time order are checked.
 */
const SELECT_STATE_AND_BOUNDS = `SELECT i.evidence_no, i.status, i.location_code, i.custodian_user_id,
  i.holder_party_id, i.checkout_purpose, i.due_at, i.seal_no, i.condition, i.value_minor, i.value_currency,
  i.value_as_of, i.last_seq, s.seized_at, r.occurred_at AS registered_at, i.registered_seq,
  e.occurred_at AS last_at
  FROM items i JOIN seizures s ON s.id = i.seizure_id JOIN events r ON r.seq = i.registered_seq
  JOIN events e ON e.seq = i.last_seq WHERE i.evidence_no = ?`;

type StateAndBoundsRow = CustodyRow & {
  seized_at: string;
  registered_at: string;
  registered_seq: number;
  last_at: string;
};

export interface ItemForEvent {
  state: CustodyState & { parsed: EvidenceNo };
  bounds: TimeBounds;
  /** The custody columns as read, from which the state after the event is worked out (stateWith). */
  row: CustodyRow;
}

/** Parses the number (either form, any case) and reads the item's state and time bounds; 404 item_not_found. */
export function readItemForEvent(db: Db, evidenceNoText: string): ItemForEvent {
  const parsed = parseEvidenceNo(evidenceNoText);
  const row = prepared(db, SELECT_STATE_AND_BOUNDS).get(parsed.compact) as StateAndBoundsRow | undefined;
  if (!row) throw itemNotFound(parsed.compact);
  return {
    row,
    state: { ...toState(row), parsed },
    bounds: {
      seizedAt: row.seized_at,
      registeredAt: row.registered_at,
      registeredSeq: row.registered_seq,
      lastAt: row.last_at,
      lastSeq: row.last_seq,
    },
  };
}

/**
 * The item's state once the columns `changes` names (as the custody projector writes them) are
 * set: what a read of the row after the event gives, without reading it again.
 */
export function stateWith(item: ItemForEvent, changes: Record<string, unknown>): CustodyState {
  return toState({ ...item.row, ...changes } as CustodyRow);
}

/** The bounds as checkNotBefore reads them: seizure, registration, then the latest event. */
export function timeOrder(b: TimeBounds): TimeBound[] {
  return [
    { code: 'occurred_before_seizure', what: "the item's seizure", at: b.seizedAt },
    {
      code: 'occurred_before_registration',
      what: `the item's registration (seq ${b.registeredSeq})`,
      at: b.registeredAt,
      seq: b.registeredSeq,
    },
    {
      code: 'occurred_before_previous_event',
      what: `the item's latest event (seq ${b.lastSeq})`,
      at: b.lastAt,
      seq: b.lastSeq,
    },
  ];
}

/** Parses the number (either form, any case) and loads the item's custody state; 404 item_not_found. */
export function getCustodyState(db: Db, evidenceNoText: string): CustodyState & { parsed: EvidenceNo } {
  const parsed = parseEvidenceNo(evidenceNoText);
  const state = findCustodyState(db, parsed.compact);
  if (!state) throw itemNotFound(parsed.compact);
  return { ...state, parsed };
}

const itemNotFound = (compact: string) =>
  new AppError('item_not_found', `no item "${compact}"`, { evidenceNo: compact });
