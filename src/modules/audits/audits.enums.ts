/** An audit is open (scanning) until it is closed; closing is final. */
export const AUDIT_STATUSES = ['open', 'closed'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

/** What an audit counts: everything stored in a location subtree, or every item of a case. */
export const AUDIT_SCOPES = ['location', 'case'] as const;
export type AuditScope = (typeof AUDIT_SCOPES)[number];

export const SCAN_KINDS = ['location', 'item'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

/**
 * The answer to one scan, relative to the location scanned last and to the ledger's record:
 * - `location`: a location code — items scanned next are counted there;
 * - `expected_here`: recorded at this location;
 * - `expected_elsewhere`: in storage, recorded at another location (misplaced);
 * - `checked_out`: recorded as out on an authorised temporary release (to a court, lab…);
 * - `disposed`: on hand but recorded as destroyed, sold, released or handed over;
 * - `not_received`: registered at seizure but never received into the warehouse;
 * - `recorded_missing`: on hand but recorded as missing (an earlier audit could not locate it);
 * - `unknown`: a well-formed evidence number no item carries;
 * - `duplicate`: already scanned in this audit (counted once).
 */
export const SCAN_OUTCOMES = [
  'location',
  'expected_here',
  'expected_elsewhere',
  'checked_out',
  'disposed',
  'not_received',
  'recorded_missing',
  'unknown',
  'duplicate',
] as const;
export type ScanOutcome = (typeof SCAN_OUTCOMES)[number];

/** Scan outcomes that make an item `unexpected` at close: on hand, but the ledger puts it on no shelf. */
export const UNEXPECTED_OUTCOMES = [
  'checked_out',
  'disposed',
  'not_received',
  'recorded_missing',
  'unknown',
] as const satisfies readonly ScanOutcome[];

export const DISCREPANCY_KINDS = ['missing', 'misplaced', 'unexpected'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** An "unable to locate" entry is open until a supervisor resolves it: found (with where) or written off. */
export const LOCATE_STATUSES = ['open', 'found', 'written_off'] as const;
export type LocateStatus = (typeof LOCATE_STATUSES)[number];

export const LOCATE_RESOLUTIONS = ['found', 'written_off'] as const;
export type LocateResolution = (typeof LOCATE_RESOLUTIONS)[number];

/**
 * Working days an item that an audit could not locate has to be found before an inquiry
 * (property-room practice: "a few working days"). Saturdays and Sundays are not counted.
 */
export const RESOLVE_WORKING_DAYS = 5;

/** Statuses of an item that the ledger places on a shelf: what an audit of that shelf expects. */
export const ON_SHELF_STATUSES = ['in_storage', 'disposal_authorised'] as const;
