import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { afterKey, keyPage } from '../../lib/cursor';
import { labelPrintRows } from '../labels/labels.prints';
import { userNames } from '../users/users.service';
import { getCustodyState } from './custody.state';

export interface HistoryEntry {
  seq: number;
  type: string;
  ledgerType: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; name: string };
  data: Record<string, unknown>;
  corrects?: number;
  correctedBy: number[];
}

interface Row {
  seq: number;
  type: string;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  data: string;
}

/**
 * The events of one item in ledger order, with the actors' display names; a page of them when
 * `page` is given (GET /items/{evidenceNo}/history), all of them otherwise (reports, the web page).
 * A correction names the seq it corrects, and the corrected event lists the corrections that
 * follow it, on whichever page they are: nothing is edited.
 */
export function itemHistory(
  db: Db,
  evidenceNoText: string,
  page?: { limit: number; cursor?: string | undefined },
) {
  const state = getCustodyState(db, evidenceNoText);
  const after = afterKey(page?.cursor);
  const rows = prepared(
    db,
    `SELECT seq, type, occurred_at, recorded_at, actor, data FROM events
       WHERE entity_type = 'item' AND entity_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  ).all(state.evidenceNo, after, page ? page.limit + 1 : -1) as Row[];
  // Label print jobs name many items in one event; they show in each item's history too.
  rows.push(...labelPrintRows(db, state.evidenceNo).filter((r) => r.seq > after));
  rows.sort((a, b) => a.seq - b.seq);
  const { items, nextCursor } = page
    ? keyPage(rows, page.limit, (r) => r.seq)
    : { items: rows, nextCursor: null };
  const names = userNames(
    db,
    items.map((r) => r.actor),
  );
  const events: HistoryEntry[] = items.map((r) => {
    const data = JSON.parse(r.data) as Record<string, unknown>;
    const entry: HistoryEntry = {
      seq: r.seq,
      type: r.type.replace(/^item_/, ''),
      ledgerType: r.type,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
      actor: { id: r.actor, name: r.actor === 'system' ? 'system' : (names.get(r.actor) ?? r.actor) },
      data,
      correctedBy: [],
    };
    if (r.type === 'item_correction' && typeof data.corrects === 'number') entry.corrects = data.corrects;
    return entry;
  });
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  for (const c of correctionsOf(db, state.evidenceNo)) bySeq.get(c.corrects)?.correctedBy.push(c.seq);
  return {
    evidenceNo: state.evidenceNo,
    printed: state.parsed.printed,
    status: state.status,
    events,
    nextCursor,
  };
}

/** Every correction of the item: which seq corrects which (an item has few). */
function correctionsOf(db: Db, evidenceNo: string): { seq: number; corrects: number }[] {
  const rows = prepared(
    db,
    `SELECT seq, data FROM events WHERE entity_type = 'item' AND entity_id = ? AND type = 'item_correction' ORDER BY seq`,
  ).all(evidenceNo) as { seq: number; data: string }[];
  return rows.flatMap((r) => {
    const corrects = (JSON.parse(r.data) as { corrects?: unknown }).corrects;
    return typeof corrects === 'number' ? [{ seq: r.seq, corrects }] : [];
  });
}
