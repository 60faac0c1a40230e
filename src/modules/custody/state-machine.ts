import { type ItemStatus, TERMINAL_STATUSES } from '../items/items.enums';

/**
 * The custody events posted to `POST /items/:evidenceNo/events` (the `type` of the request body).
 * In the ledger each is recorded as `item_<type>` (e.g. `item_checked_out`), entity `item`.
 */
export const CUSTODY_EVENT_TYPES = [
  'received',
  'moved',
  'transferred',
  'checked_out',
  'returned',
  'seal_changed',
  'examined',
  'valued',
  'note',
  'correction',
] as const;
export type CustodyEventType = (typeof CUSTODY_EVENT_TYPES)[number];

/**
 * Events that move an item through disposal and audits. The state machine decides them too, but
 * they are recorded by the disposal and audit workflows, not posted as custody events.
 */
export const WORKFLOW_EVENT_TYPES = [
  'reported_missing',
  'disposal_authorised',
  'disposal_cancelled',
  'destroyed',
  'sold',
  'released',
  'transferred_to_agency',
] as const;
export type WorkflowEventType = (typeof WORKFLOW_EVENT_TYPES)[number];

export type ItemEventType = CustodyEventType | WorkflowEventType;
export const ITEM_EVENT_TYPES: readonly ItemEventType[] = [...CUSTODY_EVENT_TYPES, ...WORKFLOW_EVENT_TYPES];

/**
 * THE state machine: for each item status, the event types it allows and the status each leads to.
 * Code (service and projector) and docs/state-machine.md (scripts/state-machine-doc.ts) both read
 * this one table. An event type absent from a status's row is refused with 409 invalid_transition.
 */
export const STATE_MACHINE = {
  registered: {
    received: 'in_storage',
    transferred: 'registered',
    seal_changed: 'registered',
    examined: 'registered',
    valued: 'registered',
    note: 'registered',
    correction: 'registered',
    reported_missing: 'missing',
  },
  in_storage: {
    moved: 'in_storage',
    transferred: 'in_storage',
    checked_out: 'checked_out',
    seal_changed: 'in_storage',
    examined: 'in_storage',
    valued: 'in_storage',
    note: 'in_storage',
    correction: 'in_storage',
    reported_missing: 'missing',
    disposal_authorised: 'disposal_authorised',
  },
  checked_out: {
    transferred: 'checked_out',
    returned: 'in_storage',
    seal_changed: 'checked_out',
    examined: 'checked_out',
    valued: 'checked_out',
    note: 'checked_out',
    correction: 'checked_out',
  },
  missing: {
    received: 'in_storage',
    seal_changed: 'missing',
    examined: 'missing',
    valued: 'missing',
    note: 'missing',
    correction: 'missing',
  },
  disposal_authorised: {
    moved: 'disposal_authorised',
    transferred: 'disposal_authorised',
    seal_changed: 'disposal_authorised',
    examined: 'disposal_authorised',
    valued: 'disposal_authorised',
    note: 'disposal_authorised',
    correction: 'disposal_authorised',
    reported_missing: 'missing',
    disposal_cancelled: 'in_storage',
    destroyed: 'destroyed',
    sold: 'sold',
    released: 'released',
    transferred_to_agency: 'transferred_out',
  },
  destroyed: { note: 'destroyed', correction: 'destroyed' },
  sold: { note: 'sold', correction: 'sold' },
  released: { note: 'released', correction: 'released' },
  transferred_out: { note: 'transferred_out', correction: 'transferred_out' },
} as const satisfies Record<ItemStatus, Partial<Record<ItemEventType, ItemStatus>>>;

/** What each event type means, for the generated docs. */
export const EVENT_DESCRIPTIONS: Record<ItemEventType, string> = {
  received: 'taken into the warehouse at a location; the receiving user becomes custodian',
  moved: 'moved to another location',
  transferred: 'another user becomes the responsible custodian',
  checked_out: 'lent to a party (court, lab, expert …) with a purpose and a due time',
  returned: 'back from the party, to a location, with its condition and seal state',
  seal_changed: 'a new seal was put on',
  examined: 'inspected or examined (by whom, findings)',
  valued: 'valued: amount in integer minor units, ISO 4217 currency, method, appraiser, as-of date',
  note: 'a free-text note',
  correction: 'corrects an earlier event of the same item (supervisor only)',
  reported_missing: 'could not be located (audits)',
  disposal_authorised: 'disposal authorised by a supervisor (disposal)',
  disposal_cancelled: 'an authorised disposal was cancelled (disposal)',
  destroyed: 'destroyed (disposal; terminal)',
  sold: 'sold (disposal; terminal)',
  released: 'released to the owner (disposal; terminal)',
  transferred_to_agency: 'handed over to another agency (disposal; terminal)',
};

/** The ledger event type for an item event type. */
export const ledgerType = (type: ItemEventType): string => `item_${type}`;

const BY_LEDGER_TYPE = new Map<string, ItemEventType>(ITEM_EVENT_TYPES.map((t) => [ledgerType(t), t]));

/** The item event type for a ledger event type, or null (e.g. `item_registered`). */
export function itemEventTypeOf(ledgerEventType: string): ItemEventType | null {
  return BY_LEDGER_TYPE.get(ledgerEventType) ?? null;
}

type Row = Partial<Record<ItemEventType, ItemStatus>>;

/** The status an event leads to from `status`, or null when the table refuses it. */
export function nextStatus(status: ItemStatus, type: ItemEventType): ItemStatus | null {
  return (STATE_MACHINE[status] as Row)[type] ?? null;
}

/** The event types `status` allows, in the table's order. */
export function allowedTypes(status: ItemStatus): ItemEventType[] {
  return Object.keys(STATE_MACHINE[status]) as ItemEventType[];
}

export function isTerminal(status: ItemStatus): boolean {
  return (TERMINAL_STATUSES as readonly ItemStatus[]).includes(status);
}
