import type { EventData, Tx } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import { checkNotBefore, checkOccurredAt } from '../../lib/time';
import { requireDocuments } from '../documents/documents.service';
import type { ItemStatus } from '../items/items.enums';
import { allows } from '../users/roles';
import type { AuthUser } from '../users/users.service';
import type { CustodyEventInput } from './custody.contract';
import { correctionData } from './custody.corrections';
import { custodyColumns } from './custody.projector';
import { derivedFrom, type Lookups, newLookups, normalize } from './custody.references';
import { type CustodyState, readItemForEvent, stateWith, type TimeBounds, timeOrder } from './custody.state';
import {
  allowedTypes,
  CUSTODY_EVENT_TYPES,
  type ItemEventType,
  ledgerType,
  nextStatus,
} from './state-machine';

export type { CustodyState } from './custody.state';

export interface Recorded<T extends ItemEventType = ItemEventType> {
  seq: number;
  type: T;
  ledgerType: string;
  occurredAt: string;
  recordedAt: string;
  item: CustodyState;
}

export interface AppendItemEvent<T extends ItemEventType> {
  tx: Tx;
  /** The authenticated user (the event's actor). */
  actor: Pick<AuthUser, 'id'>;
  /** Either form, any case. */
  evidenceNo: string;
  type: T;
  /** RFC 3339 with offset; defaults to the recording time. */
  occurredAt?: string | undefined;
  /**
   * The event's data, or a function of the item's state before the event, called only once the
   * state machine allows the event (so reference checks never run for a refused transition); it
   * also gets the item's time bounds (a correction of a time checks them).
   */
  data: EventData | ((item: CustodyState, bounds: TimeBounds) => EventData);
}

/**
 * THE way to record an item event (custody, disposal, audits): checks occurredAt, loads the item,
 * checks the state machine (409 invalid_transition) and the time order (409 occurred_before_seizure,
 * _registration, _previous_event), then appends `item_<type>`; the custody
 * projector updates the item row in the same transaction. Any refusal throws before the append.
 */
export function appendItemEvent<T extends ItemEventType>(input: AppendItemEvent<T>): Recorded<T> {
  const { tx } = input;
  checkOccurredAt(input.occurredAt, tx.now);
  const item = readItemForEvent(tx.db, input.evidenceNo);
  const { state, bounds } = item;
  checkTransition(state, input.type);
  checkNotBefore(input.occurredAt, tx.now, timeOrder(bounds));
  const data = typeof input.data === 'function' ? input.data(state, bounds) : input.data;
  const event = tx.append({
    type: ledgerType(input.type),
    entityType: 'item',
    entityId: state.evidenceNo,
    actor: input.actor.id,
    occurredAt: input.occurredAt,
    data,
  });
  return {
    seq: event.seq,
    type: input.type,
    ledgerType: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    // The custody projector has set these columns in the append; the status moved as the table says.
    item: stateWith(item, {
      ...custodyColumns(event, input.type),
      status: nextStatus(state.status, input.type),
    }),
  };
}

/** An item in each status, in words. */
const ITEM_IN: Record<ItemStatus, string> = {
  registered: 'an item not yet received',
  in_storage: 'an item in storage',
  checked_out: 'a checked-out item',
  missing: 'a missing item',
  disposal_authorised: 'an item authorised for disposal',
  destroyed: 'a destroyed item',
  sold: 'a sold item',
  released: 'an item released to its owner',
  transferred_out: 'an item transferred to another agency',
};

/** What each event does to an item, in words ("… cannot be checked out"). */
const DONE: Record<ItemEventType, string> = {
  received: 'received',
  moved: 'moved',
  transferred: 'transferred to another custodian',
  checked_out: 'checked out',
  returned: 'returned',
  seal_changed: 'resealed',
  examined: 'examined',
  valued: 'valued',
  note: 'given a note',
  correction: 'corrected',
  reported_missing: 'reported missing',
  disposal_authorised: 'authorised for disposal',
  disposal_cancelled: 'have its disposal cancelled',
  destroyed: 'destroyed',
  sold: 'sold',
  released: 'released',
  transferred_to_agency: 'transferred to another agency',
};

function checkTransition(state: CustodyState, type: ItemEventType): void {
  if (nextStatus(state.status, type)) return;
  const allowed = allowedTypes(state.status).filter((t) =>
    (CUSTODY_EVENT_TYPES as readonly string[]).includes(t),
  );
  const said = ITEM_IN[state.status];
  throw new AppError(
    'invalid_transition',
    `${said[0]!.toUpperCase()}${said.slice(1)} cannot be ${DONE[type]}; allowed: ${allowed.join(', ')}`,
    { evidenceNo: state.evidenceNo, eventType: type, currentStatus: state.status, allowedTypes: allowed },
  );
}

/**
 * Records one custody event posted by a client: the role (corrections are a supervisor's), then
 * appendItemEvent with the event's references checked and normalised, and the members derived
 * from the item's state added.
 */
export function recordEvent(
  tx: Tx,
  evidenceNoText: string,
  input: CustodyEventInput,
  user: Pick<AuthUser, 'id' | 'role'>,
  lookups: Lookups = newLookups(),
): Recorded {
  if (input.type === 'correction' && !allows('supervise', user.role)) {
    throw new AppError('forbidden', `the ${user.role} role may not post corrections; a supervisor may`, {
      role: user.role,
      requires: 'supervise',
    });
  }
  return appendItemEvent({
    tx,
    actor: user,
    evidenceNo: evidenceNoText,
    type: input.type,
    occurredAt: input.occurredAt,
    data: (state, bounds) => {
      const data =
        input.type === 'correction'
          ? correctionData(tx.db, tx.now, state, bounds, input, lookups)
          : { ...normalize(tx.db, tx.now, input, lookups), ...derivedFrom(input.type, state) };
      // Cited documents must be attached first (404 document_not_found); each recorded once.
      const documents = requireDocuments(tx.db, input.documents);
      return documents.length > 0 ? { ...data, documents } : data;
    },
  });
}
