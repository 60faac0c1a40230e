/**
 * Every problem `code` the API can answer with, and its HTTP status. Codes are a public contract:
 * add freely, rename never. (RFC 9457 problem+json; see src/http/problem.ts.)
 */
export const ERROR_STATUS = {
  // Request shape
  validation_failed: 400,
  invalid_json: 400,
  actor_not_allowed: 400,
  invalid_cursor: 400,
  invalid_check_digit: 400,
  invalid_evidence_number: 400,
  invalid_location_code: 400,
  occurred_in_future: 400,
  // Items and CSV import
  invalid_csv: 400,
  invalid_encoding: 400,
  import_rows_invalid: 400,
  too_many_rows: 400,
  // Custody, locations, parties
  invalid_currency: 400,
  due_in_past: 400,
  invalid_location_parent: 400,
  batch_invalid: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  headers_too_large: 431,
  // HTTP edge: strict JSON bodies and query strings (issue 13)
  invalid_unicode: 400,
  duplicate_member: 400,
  unknown_parameter: 400,
  repeated_parameter: 400,
  invalid_percent_encoding: 400,
  // Who you are
  unauthenticated: 401,
  token_invalid: 401,
  account_disabled: 401,
  forbidden: 403,
  // What you asked for
  route_not_found: 404,
  user_not_found: 404,
  token_not_found: 404,
  case_not_found: 404,
  seizure_not_found: 404,
  item_not_found: 404,
  location_not_found: 404,
  party_not_found: 404,
  method_not_allowed: 405,
  // State
  // Domain (issue 13): time order of an item's events, closed cases, the last admin, asOf
  occurred_before_seizure: 409,
  occurred_before_registration: 409,
  occurred_before_previous_event: 409,
  occurred_after_next_event: 409,
  case_closed: 409,
  last_admin: 409,
  as_of_in_future: 400,
  username_taken: 409,
  duplicate_case_number: 409,
  duplicate_serial: 409,
  invalid_parent: 409,
  invalid_transition: 409,
  duplicate_location_name: 409,
  user_disabled: 409,
  correction_target_invalid: 409,
  conflict: 409,
  // Disposals and attached documents (issue 16, disposal)
  document_type_mismatch: 400,
  too_few_witnesses: 400,
  duplicate_witness: 400,
  no_outside_witness: 400,
  same_person: 403,
  not_proposer: 403,
  document_not_found: 404,
  disposal_not_found: 404,
  discrepancy_not_found: 404,
  items_not_eligible: 409,
  disposal_not_pending: 409,
  disposal_not_approved: 409,
  item_not_in_disposal: 409,
  duplicate_scan: 409,
  witness_in_chain_of_custody: 409,
  nothing_scanned: 409,
  disposal_not_completed: 409,
  disposal_in_progress: 409,
  discrepancy_resolved: 409,
  document_damaged: 500,
  // Reports (issue 15, reports)
  report_not_found: 404,
  checkpoint_not_found: 404,
  checkpoint_too_old: 409,
  not_a_report: 400,
  // Audits: inventories by scanning, the unable-to-locate queue
  malformed_code: 400,
  audit_not_found: 404,
  unable_to_locate_not_found: 404,
  audit_closed: 409,
  location_scan_required: 409,
  location_outside_audit: 409,
  // Web app: passwords, sessions, CSRF, idempotent writes (issue 17)
  password_too_weak: 400,
  current_password_wrong: 403,
  sign_in_failed: 401,
  session_expired: 401,
  csrf_invalid: 403,
  item_changed: 412,
  idempotency_key_reused: 422,
  sign_in_locked: 429,
  audit_not_closed: 409,
  // Web app fixes (issue 17, webfix): a malformed If-Match precondition
  invalid_if_match: 400,
  // Labels (src/modules/labels)
  unknown_label_format: 400,
  empty_selection: 400,
  too_many_labels: 400,
  start_beyond_sheet: 400,
  label_items_not_found: 404,
  label_items_disposed: 409,
  // Merkle proofs and evidence bundles (src/ledger/proofs.ts, src/modules/ledger)
  tree_size_beyond_ledger: 400,
  seq_beyond_tree_size: 400,
  invalid_tree_sizes: 400,
  // checkpoint_not_found (404) is shared with reports, above.
  // Ours
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error class: a stable code, a human detail, and optional members for the problem body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.extra = extra;
  }
}
