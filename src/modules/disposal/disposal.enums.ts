import type { WorkflowEventType } from '../custody/state-machine';

export const DISPOSITIONS = ['destroy', 'sell', 'release_to_owner', 'transfer_to_agency'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** The terminal item event each disposition ends in. */
export const TERMINAL_EVENT = {
  destroy: 'destroyed',
  sell: 'sold',
  release_to_owner: 'released',
  transfer_to_agency: 'transferred_to_agency',
} as const satisfies Record<Disposition, WorkflowEventType>;

/**
 * proposed → approved → completed; proposed → rejected (a supervisor) or cancelled (the proposer).
 * `proposed` and `approved` are open: an item may be in one open disposal at a time.
 */
export const DISPOSAL_STATUSES = ['proposed', 'approved', 'rejected', 'cancelled', 'completed'] as const;
export type DisposalStatus = (typeof DISPOSAL_STATUSES)[number];
export const OPEN_STATUSES = ['proposed', 'approved'] as const satisfies readonly DisposalStatus[];

export const AUTHORITY_KINDS = [
  'court_order',
  'court_decision',
  'prosecutor_decision',
  'administrative_decision',
] as const;
export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];

/** What became of one item of a batch. */
export const ITEM_OUTCOMES = ['pending', 'scanned', 'disposed', 'missing_at_disposal'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

/** How a supervisor resolves an item missing at disposal. */
export const DISCREPANCY_RESOLUTIONS = ['found', 'written_off'] as const;
export type DiscrepancyResolution = (typeof DISCREPANCY_RESOLUTIONS)[number];

/** The most items one disposal may name (a case of the seed story holds ≈ 2,700). */
export const MAX_DISPOSAL_ITEMS = 10_000;

/** Roles whose users work in the property unit; any other witness stands outside it. */
export const PROPERTY_UNIT_ROLES = ['clerk', 'supervisor', 'admin'] as const;
