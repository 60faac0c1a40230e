import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/open';
import type { Projector } from '../../ledger/types';

interface Statements {
  insert: Statement;
  search: Statement;
  counter: Statement;
}

// Prepared once per connection: an import applies this projector tens of thousands of times.
const cache = new WeakMap<Sqlite, Statements>();

function statements(sqlite: Sqlite): Statements {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      insert: sqlite.prepare(
        `INSERT INTO items (evidence_no, year, serial, case_id, seizure_id, category, make, model, serial_number,
           quantity, unit, hashrate_ths, power_w, seal_no, condition, description, parent_evidence_no, status,
           registered_seq, last_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?)`,
      ),
      search: sqlite.prepare(
        'INSERT INTO items_search (rowid, make, model, serial_number, seal_no, description) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      counter: sqlite.prepare(
        `INSERT INTO evidence_counters (year, last_serial) VALUES (?, ?)
         ON CONFLICT(year) DO UPDATE SET last_serial = max(last_serial, excluded.last_serial)`,
      ),
    };
    cache.set(sqlite, s);
  }
  return s;
}

const orNull = (v: unknown) => (v === undefined ? null : v);

/**
 * item_registered → the item's row (status `registered`), its search index entry and the year's
 * evidence counter. The
 * evidence number is the event's entityId (compact form, EV + yy + serial + check digit); the
 * counter is part of this projection so that a rebuild reproduces it.
 */
export const itemsProjector: Projector = {
  name: 'items',
  tables: ['items', 'evidence_counters'],
  // The full-text index of the items' text, rowid = registered_seq (drizzle/0009_items_search.sql).
  derived: ['items_search'],
  types: ['item_registered'],
  apply(db, event) {
    const d = event.data;
    const no = event.entityId;
    const year = 2000 + Number(no.slice(2, 4));
    const serial = Number(no.slice(4, 11));
    const s = statements(db.sqlite);
    s.insert.run(
      no,
      year,
      serial,
      d.caseId,
      d.seizureId,
      d.category,
      orNull(d.make),
      orNull(d.model),
      orNull(d.serialNumber),
      d.quantity,
      d.unit,
      orNull(d.hashrateThs),
      orNull(d.powerW),
      orNull(d.sealNo),
      orNull(d.condition),
      orNull(d.description),
      orNull(d.parentEvidenceNo),
      event.seq,
      event.seq,
    );
    s.search.run(
      event.seq,
      orNull(d.make),
      orNull(d.model),
      orNull(d.serialNumber),
      orNull(d.sealNo),
      orNull(d.description),
    );
    s.counter.run(year, serial);
  },
};
