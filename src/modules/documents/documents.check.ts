import type { Db } from '../../db/open';
import type { Damage } from '../../ledger/verify';
import { documentsDirFor, readDocument } from './documents.store';

/**
 * The verify hook for attached documents: every document an event added or cites (an event's
 * top-level `documents` member, docs/ledger-format.md) must be in the store beside the database and
 * hash to its name. Reads the events of the verify's own snapshot.
 */
export function checkDocuments(db: Db): Damage[] {
  const firstSeq = new Map<string, number>();
  const added = new Set<string>();
  const rows = db.sqlite
    .prepare(
      `SELECT seq, type, data FROM events
       WHERE type = 'document_added' OR instr(data, '"documents":[') > 0 ORDER BY seq`,
    )
    .iterate() as IterableIterator<{ seq: number; type: string; data: string }>;
  for (const row of rows) {
    let data: { sha256?: unknown; documents?: unknown };
    try {
      data = JSON.parse(row.data) as typeof data;
    } catch {
      continue; // the chain check reports a row whose data is not JSON
    }
    const hashes =
      row.type === 'document_added' ? [data.sha256] : Array.isArray(data.documents) ? data.documents : [];
    for (const h of hashes) {
      if (typeof h !== 'string') continue;
      if (row.type === 'document_added') added.add(h);
      if (!firstSeq.has(h)) firstSeq.set(h, row.seq);
    }
  }
  const dir = documentsDirFor(db.path);
  const damage: Damage[] = [];
  for (const [sha256, seq] of firstSeq) {
    if (!added.has(sha256)) {
      damage.push({
        kind: 'document_missing',
        seq,
        detail: `seq ${seq} cites document ${sha256}, which no event added`,
      });
      continue;
    }
    const { state } = readDocument(dir, sha256);
    if (state === 'missing') {
      damage.push({ kind: 'document_missing', seq, detail: `document ${sha256} is not in ${dir}` });
    } else if (state === 'damaged') {
      damage.push({
        kind: 'document_damaged',
        seq,
        detail: `document ${sha256} no longer hashes to its name`,
      });
    }
  }
  return damage;
}
