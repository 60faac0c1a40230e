import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { formatLocationCode } from '../../lib/codes';
import { ON_SHELF_STATUSES } from './audits.enums';

/**
 * The read-only queries an inventory needs over the items and locations projections. They are
 * set-based (an audit of a warehouse counts 67,000 items in one query), so they live here as SQL
 * rather than as one service call per item. Portable SQL: WITH RECURSIVE works in PostgreSQL too.
 */

export type AuditScopeRef = { scope: 'location'; locationCode: string } | { scope: 'case'; caseId: string };

const ON_SHELF = ON_SHELF_STATUSES.map((s) => `'${s}'`).join(', ');

/** The subtree under @root, the root included. */
const SUBTREE = `WITH RECURSIVE sub(code) AS (
  SELECT @root UNION ALL SELECT l.code FROM locations l JOIN sub ON l.parent_code = sub.code)`;

export interface Place {
  code: string;
  printed: string;
  path: string;
}

interface PlaceRow {
  code: string;
  serial: number;
  path: string;
}

const toPlace = (r: PlaceRow): Place => ({
  code: r.code,
  printed: formatLocationCode(r.serial).printed,
  path: r.path,
});

/** A known location's code, printed form and path; null for an unknown code. */
export function placeOf(db: Db, code: string): Place | null {
  const row = prepared(db, 'SELECT code, serial, path FROM locations WHERE code = ?').get(code) as
    | PlaceRow
    | undefined;
  return row ? toPlace(row) : null;
}

/** Remembers places across one request (240 items on one shelf look the shelf up once). */
export function placeCache(db: Db) {
  const cache = new Map<string, Place | null>();
  return (code: string | null): Place | null => {
    if (code === null) return null;
    if (!cache.has(code)) cache.set(code, placeOf(db, code));
    return cache.get(code) ?? null;
  };
}

/** True when `code` is `root` or lies inside it. */
export function isWithin(db: Db, root: string, code: string): boolean {
  const parentOf = prepared(db, 'SELECT parent_code FROM locations WHERE code = ?');
  for (let at: string | null = code, depth = 0; at !== null && depth < 16; depth++) {
    if (at === root) return true;
    at = (parentOf.get(at) as { parent_code: string | null } | undefined)?.parent_code ?? null;
  }
  return false;
}

/** The locations inside `root` (not `root` itself), by path. */
export function subLocations(db: Db, root: string): Place[] {
  return (
    prepared(
      db,
      `${SUBTREE} SELECT l.code, l.serial, l.path FROM sub JOIN locations l ON l.code = sub.code
         WHERE l.code <> @root ORDER BY l.path`,
    ).all({ root }) as PlaceRow[]
  ).map(toPlace);
}

/**
 * The locations an audit should visit: the subtree (root included) for a location audit; for a
 * case audit, the locations where the case's items are recorded now.
 */
export function scopeLocations(db: Db, scope: AuditScopeRef): Place[] {
  if (scope.scope === 'location') {
    const root = placeOf(db, scope.locationCode);
    return root ? [root, ...subLocations(db, scope.locationCode)] : [];
  }
  return (
    prepared(
      db,
      `SELECT l.code, l.serial, l.path FROM locations l WHERE l.code IN (
         SELECT DISTINCT location_code FROM items WHERE case_id = @caseId AND status IN (${ON_SHELF}))
       ORDER BY l.path`,
    ).all({ caseId: scope.caseId }) as PlaceRow[]
  ).map(toPlace);
}

/** How many items the ledger places in the scope now. */
export function countExpected(db: Db, scope: AuditScopeRef): number {
  const row =
    scope.scope === 'location'
      ? prepared(
          db,
          `${SUBTREE} SELECT count(*) AS n FROM items
             WHERE location_code IN (SELECT code FROM sub) AND status IN (${ON_SHELF})`,
        ).get({ root: scope.locationCode })
      : prepared(
          db,
          `SELECT count(*) AS n FROM items WHERE case_id = @caseId AND status IN (${ON_SHELF})`,
        ).get({ caseId: scope.caseId });
  return (row as { n: number }).n;
}

export interface UnscannedRow {
  evidence_no: string;
  location_code: string | null;
  status: string;
}

/**
 * The SQL and parameters over the scope's items that this audit has not scanned: those the ledger
 * places in the scope now (`shelf`) or, for a case audit, has out on a temporary release
 * (`checkedOut`; a location audit has none: a checked-out item has no location).
 */
function unscannedQuery(
  auditId: string,
  scope: AuditScopeRef,
  which: 'shelf' | 'checkedOut',
  select: string,
) {
  const statuses = which === 'shelf' ? ON_SHELF : `'checked_out'`;
  const notScanned = `NOT EXISTS (SELECT 1 FROM audit_scans s
    WHERE s.audit_id = @auditId AND s.code = i.evidence_no)`;
  if (scope.scope === 'location') {
    const none = which === 'checkedOut' ? ' AND 0' : '';
    return {
      sql: `${SUBTREE} SELECT ${select} FROM items i
        WHERE i.location_code IN (SELECT code FROM sub) AND i.status IN (${statuses}) AND ${notScanned}${none}`,
      params: { root: scope.locationCode, auditId },
    };
  }
  return {
    sql: `SELECT ${select} FROM items i WHERE i.case_id = @caseId AND i.status IN (${statuses}) AND ${notScanned}`,
    params: { caseId: scope.caseId, auditId },
  };
}

/** The scope's unscanned items (see unscannedQuery), in evidence-number order. */
export function unscannedItems(
  db: Db,
  auditId: string,
  scope: AuditScopeRef,
  which: 'shelf' | 'checkedOut',
  limit = 1_000_000_000,
): UnscannedRow[] {
  const q = unscannedQuery(auditId, scope, which, 'i.evidence_no, i.location_code, i.status');
  return prepared(db, `${q.sql} ORDER BY i.evidence_no LIMIT @limit`).all({
    ...q.params,
    limit,
  }) as UnscannedRow[];
}

export function countUnscanned(
  db: Db,
  auditId: string,
  scope: AuditScopeRef,
  which: 'shelf' | 'checkedOut',
): number {
  const q = unscannedQuery(auditId, scope, which, 'count(*) AS n');
  return (prepared(db, q.sql).get(q.params) as { n: number }).n;
}

/** Items recorded at exactly this location now (of the case, for a case audit). */
export function countAt(db: Db, scope: AuditScopeRef, code: string): number {
  return (
    prepared(
      db,
      `SELECT count(*) AS n FROM items WHERE location_code = @code AND status IN (${ON_SHELF})
         AND (@caseId IS NULL OR case_id = @caseId)`,
    ).get({ code, caseId: scope.scope === 'case' ? scope.caseId : null }) as { n: number }
  ).n;
}

/** The items inside a container, and inside containers within it. */
export function contentsOf(db: Db, container: string): string[] {
  const out: string[] = [];
  const children = prepared(
    db,
    'SELECT evidence_no FROM items WHERE parent_evidence_no = ? ORDER BY evidence_no',
  );
  const queue = [container];
  const seen = new Set(queue);
  while (queue.length > 0 && out.length < 10_000) {
    const next = queue.shift() as string;
    for (const { evidence_no } of children.all(next) as { evidence_no: string }[]) {
      if (seen.has(evidence_no)) continue;
      seen.add(evidence_no);
      out.push(evidence_no);
      queue.push(evidence_no);
    }
  }
  return out;
}
