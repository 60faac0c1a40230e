export const ITEM_CATEGORIES = [
  'asic_miner',
  'gpu_rig',
  'gpu',
  'psu',
  'transformer',
  'cooling',
  'network',
  'cable_lot',
  'container',
  'other',
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/**
 * Where an item is in its life. `registered`: recorded at seizure, not yet in the warehouse.
 * The last four are terminal dispositions (the disposal issue adds the events that reach them).
 */
export const ITEM_STATUSES = [
  'registered',
  'in_storage',
  'checked_out',
  'missing',
  'disposal_authorised',
  'destroyed',
  'sold',
  'released',
  'transferred_out',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const TERMINAL_STATUSES = [
  'destroyed',
  'sold',
  'released',
  'transferred_out',
] as const satisfies readonly ItemStatus[];
