import type { Db } from '../db/open';
import { canonicalEventText } from './canonical';
import type { LedgerEvent } from './types';

/** An events row as stored: `data` is its canonical JSON text. */
export interface EventRow {
  seq: number;
  type: string;
  entity_type: string;
  entity_id: string;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export function iterateEventRows(db: Db, fromSeq = 1): IterableIterator<EventRow> {
  return db.sqlite
    .prepare('SELECT * FROM events WHERE seq >= ? ORDER BY seq')
    .iterate(fromSeq) as IterableIterator<EventRow>;
}

export function envelopeOf(row: EventRow) {
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
