import { type ItemEventType, itemEventTypeOf } from './state-machine';

/**
 * Which custody columns of the `items` row each event type sets, from which member of its data.
 * The projector applies it; a correction of the latest event touching a column re-applies it.
 * `null` as a source clears the column.
 */
type Source = string | null | { actor: true } | { utc: string };

export const COLUMN_EFFECTS = {
  received: { location_code: 'locationCode', custodian_user_id: { actor: true }, condition: 'condition' },
  moved: { location_code: 'locationCode' },
  transferred: { custodian_user_id: 'custodian' },
  checked_out: {
    holder_party_id: 'partyId',
    checkout_purpose: 'purpose',
    due_at: { utc: 'dueAt' },
    location_code: null,
  },
  returned: {
    location_code: 'locationCode',
    holder_party_id: null,
    checkout_purpose: null,
    due_at: null,
    condition: 'condition',
    seal_no: 'newSealNo',
  },
  seal_changed: { seal_no: 'newSealNo' },
  valued: { value_minor: 'amountMinor', value_currency: 'currency', value_as_of: 'asOf' },
  destroyed: { location_code: null, holder_party_id: null, checkout_purpose: null, due_at: null },
  sold: { location_code: null, holder_party_id: null, checkout_purpose: null, due_at: null },
  released: { location_code: null, holder_party_id: null, checkout_purpose: null, due_at: null },
  transferred_to_agency: { location_code: null, holder_party_id: null, checkout_purpose: null, due_at: null },
  // Never applied by this projector (the items projector inserts the row); used by corrections of it.
  registered: {
    make: 'make',
    model: 'model',
    serial_number: 'serialNumber',
    quantity: 'quantity',
    unit: 'unit',
    hashrate_ths: 'hashrateThs',
    power_w: 'powerW',
    seal_no: 'sealNo',
    condition: 'condition',
    description: 'description',
  },
} as const satisfies Partial<Record<EffectType, Record<string, Source>>>;

/** An item event type, or `registered` for the item's first event (`item_registered`). */
export type EffectType = ItemEventType | 'registered';

type Effects = Record<string, Source>;

export function effectsOf(type: EffectType): Effects {
  return (COLUMN_EFFECTS as Partial<Record<EffectType, Effects>>)[type] ?? {};
}

/** The columns an event of this type may set (a correction of it is current only if no later event sets them). */
export function columnsOf(type: EffectType): string[] {
  return Object.keys(effectsOf(type));
}

/**
 * The column values an event sets. Members absent from `data` leave their column alone (`condition`
 * on `received`, `newSealNo` on a return with the seal intact); with `only`, just those data members.
 */
export function columnValues(
  type: EffectType,
  data: Record<string, unknown>,
  actor: string,
  only?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, source] of Object.entries(effectsOf(type))) {
    if (source === null) {
      if (!only) out[column] = null;
    } else if (typeof source === 'string') {
      if (source in data && (!only || only.has(source))) out[column] = data[source] ?? null;
    } else if ('actor' in source) {
      if (!only) out[column] = actor;
    } else if (source.utc in data && (!only || only.has(source.utc))) {
      out[column] = new Date(data[source.utc] as string).toISOString();
    }
  }
  return out;
}

/**
 * The column values an item event sets, a correction included: one that still `updatesCurrent`
 * sets the corrected members' columns as the corrected event would have; any other sets none. The
 * projector and the reports' replay (reports/item.derive.ts) both read it.
 */
export function eventColumnValues(
  type: ItemEventType,
  data: Record<string, unknown>,
  actor: string,
): Record<string, unknown> {
  if (type !== 'correction') return columnValues(type, data, actor);
  const c = data as { correctsType?: string; fields?: Record<string, unknown>; updatesCurrent?: boolean };
  const corrected: EffectType | null =
    c.correctsType === 'item_registered' ? 'registered' : itemEventTypeOf(c.correctsType ?? '');
  if (!c.updatesCurrent || !corrected || !c.fields) return {};
  return columnValues(corrected, c.fields, actor, new Set(Object.keys(c.fields)));
}

/** The columns these data members of an event of this type feed. */
export function columnsFedBy(type: EffectType, members: readonly string[]): string[] {
  return Object.entries(effectsOf(type)).flatMap(([column, s]) => {
    const member = typeof s === 'string' ? s : s && 'utc' in s ? s.utc : null;
    return member !== null && members.includes(member) ? [column] : [];
  });
}
