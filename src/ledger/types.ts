import type { Db } from '../db/open';

/** Who recorded an event: a user's id, or `system` for what the service does by itself. */
export type Actor = string;
export const SYSTEM_ACTOR: Actor = 'system';

export type EventData = Record<string, unknown>;

export interface AppendInput {
  type: string;
  entityType: string;
  entityId: string;
  actor: Actor;
  data: EventData;
  /** RFC 3339 with the client's offset; defaults to the recording time. */
  occurredAt?: string | undefined;
}

export interface LedgerEvent {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  data: EventData;
  prevHash: string;
  hash: string;
}

/**
 * Keeps one set of tables in step with the ledger. `apply` is called for each appended event whose
 * type it lists, inside the append's transaction, and again by a rebuild on a scratch database —
 * so the stored projection and a rebuild agree by construction unless the tables were tampered with.
 */
export interface Projector {
  name: string;
  /** The tables it owns, compared by `rebuild-projections --check` and `verify`. */
  tables: readonly string[];
  /**
   * Tables whose rowid carries meaning (a full-text index keyed by an item's seq): `verify`
   * compares them with their rowid, and a rebuild copies them with it.
   */
  derived?: readonly string[];
  /** Event types it handles. */
  types: readonly string[];
  apply(db: Db, event: LedgerEvent): void;
}

/** What a unit of work sees inside the ledger's transaction. */
export interface Tx {
  db: Db;
  /** The transaction's time: every event in it is recorded at this instant. */
  now: Date;
  append(input: AppendInput): LedgerEvent;
}
