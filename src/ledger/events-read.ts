import type { Db } from '../db/open';
import type { RowOf } from '../db/rows';
import { prepared } from '../db/statements';
import { canonicalEventText, type EventEnvelope } from './canonical';
import type { events } from './ledger.schema';
import type { LedgerEvent } from './types';

/** An events row as stored: `data` is its canonical JSON text. */
export type EventRow = RowOf<typeof events>;

/** One event row by its sequence number. */
export function eventRowAt(db: Db, seq: number): EventRow | undefined {
  return prepared(db, 'SELECT * FROM events WHERE seq = ?').get(seq) as EventRow | undefined;
}

/** The types of an entity's events after `afterSeq`, in ledger order (the events_entity index). */
export function entityEventTypesAfter(
  db: Db,
  entityType: string,
  entityId: string,
  afterSeq: number,
): string[] {
  const rows = prepared(
    db,
    'SELECT type FROM events WHERE entity_type = ? AND entity_id = ? AND seq > ? ORDER BY seq',
  ).all(entityType, entityId, afterSeq) as { type: string }[];
  return rows.map((r) => r.type);
}

export function iterateEventRows(db: Db, fromSeq = 1): IterableIterator<EventRow> {
  return db.sqlite
    .prepare('SELECT * FROM events WHERE seq >= ? ORDER BY seq')
    .iterate(fromSeq) as IterableIterator<EventRow>;
}

export function envelopeOf(row: EventRow): EventEnvelope {
  return {
    seq: row.seq,
    type: row.type,
    entityType: row.entity_type,
    entityId: row.entity_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    prevHash: row.prev_hash,
  };
}

/** The exact bytes that were hashed for this row (RFC 8785 text of the event without `hash`). */
export function hashedTextOf(row: EventRow): string {
  return canonicalEventText(envelopeOf(row), row.data);
}

/**
 * One export line: the RFC 8785 text of the whole event, `hash` included (it sorts between
 * `entityType` and `occurredAt`). Removing `hash` and re-canonicalising gives the hashed bytes.
 */
export function exportLineOf(row: EventRow): string {
  const text = hashedTextOf(row);
  const at = text.indexOf(',"occurredAt":');
  return `${text.slice(0, at)},"hash":${JSON.stringify(row.hash)}${text.slice(at)}`;
}

export function eventOf(row: EventRow): LedgerEvent {
  return { ...envelopeOf(row), data: JSON.parse(row.data) as Record<string, unknown>, hash: row.hash };
}

/**
 * Events in pages of `size`, each read with one synchronous query. A long-lived iterator would hold
 * the connection busy across awaits and block every write; pages let a streamed export interleave
 * with appends. Stops at `toSeq`, so a stream names exactly the state it started from.
 */
export function* eventRowPages(db: Db, toSeq: number, size = 2000): Generator<EventRow[]> {
  const stmt = db.sqlite.prepare('SELECT * FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?');
  let after = 0;
  for (;;) {
    const rows = stmt.all(after, toSeq, size) as EventRow[];
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.seq;
  }
}
