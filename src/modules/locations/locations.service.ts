import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Actor, Tx } from '../../ledger/types';
import { formatLocationCode, parseLocationCode } from '../../lib/codes';
import { afterKey, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { listItems } from '../items/items.service';
import { LOCATION_KINDS, type LocationKind } from './locations.enums';

export interface LocationView {
  code: string;
  printed: string;
  kind: LocationKind;
  name: string;
  parentCode: string | null;
  path: string;
  createdSeq: number;
}

interface LocationRow {
  code: string;
  serial: number;
  kind: LocationKind;
  name: string;
  parent_code: string | null;
  path: string;
  created_seq: number;
}

const toView = (r: LocationRow): LocationView => ({
  code: r.code,
  printed: formatLocationCode(r.serial).printed,
  kind: r.kind,
  name: r.name,
  parentCode: r.parent_code,
  path: r.path,
  createdSeq: r.created_seq,
});

/**
 * Parses a code in either form (400 invalid_location_code / invalid_check_digit) and finds the
 * location (404 location_not_found). Other modules check a location through this.
 */
export function getLocation(db: Db, codeText: string): LocationView {
  const { compact } = parseLocationCode(codeText);
  const row = prepared(db, 'SELECT * FROM locations WHERE code = ?').get(compact) as LocationRow | undefined;
  if (!row) throw new AppError('location_not_found', `no location "${compact}"`, { locationCode: compact });
  return toView(row);
}

export interface CreateLocationInput {
  kind: LocationKind;
  name: string;
  parentCode?: string | undefined;
}

/** Allocates the next serial (max + 1, inside the write transaction, so gap-free) and records it. */
export function createLocation(tx: Tx, input: CreateLocationInput, actor: Actor): LocationView {
  const rank = LOCATION_KINDS.indexOf(input.kind);
  let parentCode: string | undefined;
  if (input.parentCode !== undefined) {
    const parent = getLocation(tx.db, input.parentCode);
    if (LOCATION_KINDS.indexOf(parent.kind) >= rank) {
      throw new AppError(
        'invalid_location_parent',
        `a ${input.kind} cannot be inside a ${parent.kind} (warehouse › room › shelf › bin)`,
        { field: 'parentCode', parentKind: parent.kind },
      );
    }
    parentCode = parent.code;
  } else if (input.kind !== 'warehouse') {
    throw new AppError('invalid_location_parent', `a ${input.kind} needs a parentCode`, {
      field: 'parentCode',
    });
  }
  const sibling = prepared(tx.db, 'SELECT code FROM locations WHERE parent_code IS ? AND name = ?').get(
    parentCode ?? null,
    input.name,
  ) as { code: string } | undefined;
  if (sibling) {
    throw new AppError('duplicate_location_name', `"${input.name}" already exists there (${sibling.code})`, {
      locationCode: sibling.code,
    });
  }
  const { max } = prepared(tx.db, 'SELECT coalesce(max(serial), 0) AS max FROM locations').get() as {
    max: number;
  };
  const { compact: code, serial } = formatLocationCode(max + 1);
  tx.append({
    type: 'location_created',
    entityType: 'location',
    entityId: code,
    actor,
    data: { code, serial, kind: input.kind, name: input.name, ...(parentCode ? { parentCode } : {}) },
  });
  return getLocation(tx.db, code);
}

export function listLocations(
  db: Db,
  q: {
    limit: number;
    cursor?: string | undefined;
    kind?: LocationKind | undefined;
    parentCode?: string | undefined;
  },
) {
  const after = afterKey(q.cursor);
  const parent = q.parentCode === undefined ? null : getLocation(db, q.parentCode).code;
  const rows = prepared(
    db,
    `SELECT * FROM locations WHERE serial > @after AND (@kind IS NULL OR kind = @kind)
       AND (@parent IS NULL OR parent_code = @parent) ORDER BY serial LIMIT @limit`,
  ).all({ after, kind: q.kind ?? null, parent, limit: q.limit + 1 }) as LocationRow[];
  const page = keyPage(rows, q.limit, (r) => r.serial);
  return { ...page, items: page.items.map(toView) };
}

/** The location, its ancestors, its children and a page of the items stored there now. */
export function showLocation(db: Db, codeText: string, q: { limit: number; cursor?: string | undefined }) {
  const location = getLocation(db, codeText);
  const ancestors: { code: string; kind: LocationKind; name: string }[] = [];
  const parentOf = prepared(db, 'SELECT code, kind, name, parent_code FROM locations WHERE code = ?');
  for (let code = location.parentCode; code; ) {
    const row = parentOf.get(code) as
      | { code: string; kind: LocationKind; name: string; parent_code: string | null }
      | undefined;
    if (!row) break;
    ancestors.unshift({ code: row.code, kind: row.kind, name: row.name });
    code = row.parent_code;
  }
  const children = (
    prepared(db, 'SELECT * FROM locations WHERE parent_code = ? ORDER BY serial').all(
      location.code,
    ) as LocationRow[]
  ).map(toView);
  return { ...location, ancestors, children, items: itemsAt(db, location.code, q) };
}

/** What is stored there now: at this location or anywhere inside it, oldest registration first. */
function itemsAt(db: Db, code: string, q: { limit: number; cursor?: string | undefined }) {
  return listItems(db, { limit: q.limit, cursor: q.cursor, locationCode: code, sort: 'registered' });
}
