import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { AppError } from '../../lib/errors';
import { getCase } from '../cases/cases.service';
import { TERMINAL_STATUSES } from '../items/items.enums';
import { getLocation } from '../locations/locations.service';
import { getSeizure } from '../seizures/seizures.service';
import { parseEvidenceNos } from './labels.numbers';

/** What one item label shows. */
export interface LabelItem {
  evidenceNo: string;
  printed: string;
  caseNumber: string;
  site: string | null;
  seizedOn: string | null;
  category: string;
  make: string | null;
  model: string | null;
  serialNumber: string | null;
  sealNo: string | null;
  quantity: number;
  unit: string;
}

export type Selection =
  | { by: 'items'; items: string[] }
  | { by: 'caseId'; caseId: string }
  | { by: 'seizureId'; seizureId: string }
  | { by: 'locationCode'; locationCode: string };

export interface Skipped {
  unknown: string[];
  disposed: string[];
}

/** A resolved selection: how many items, which were left out, and the items page by page. */
export interface ResolvedSelection {
  count: number;
  skipped: Skipped;
  /** The evidence numbers printed, in order (what the print event names). */
  evidenceNos: readonly string[];
  pages: (size?: number) => Iterable<LabelItem[]>;
}

interface Row {
  evidence_no: string;
  category: string;
  make: string | null;
  model: string | null;
  serial_number: string | null;
  seal_no: string | null;
  quantity: number;
  unit: string;
  registered_seq: number;
  case_number: string;
  farm_name: string | null;
  seized_at: string | null;
}

const SELECT = `SELECT i.evidence_no, i.category, i.make, i.model, i.serial_number, i.seal_no, i.quantity,
  i.unit, i.registered_seq, c.number AS case_number, s.farm_name, s.seized_at
  FROM items i JOIN cases c ON c.id = i.case_id LEFT JOIN seizures s ON s.id = i.seizure_id`;

const TERMINAL = `(${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const LIST_CAP = 1000;

export const printedEvidenceNo = (c: string) => `EV-${c.slice(2, 4)}-${c.slice(4, 11)}-${c.slice(11)}`;

function toLabelItem(r: Row): LabelItem {
  return {
    evidenceNo: r.evidence_no,
    printed: printedEvidenceNo(r.evidence_no),
    caseNumber: r.case_number,
    site: r.farm_name,
    seizedOn: r.seized_at ? r.seized_at.slice(0, 10) : null,
    category: r.category,
    make: r.make,
    model: r.model,
    serialNumber: r.serial_number,
    sealNo: r.seal_no,
    quantity: r.quantity,
    unit: r.unit,
  };
}

/** "1 of the 3 selected items is", "2 of … are". */
const ofThem = (n: number, what: string) => `${n} of the selected ${what} ${n === 1 ? 'is' : 'are'}`;

/**
 * Refuses a job for its unknown or disposed items, all listed. `whole` names a case, seizure or
 * location chosen whole: its disposed items are its own, and skipMissing=true prints the rest.
 */
function refuse(skipped: Skipped, whole?: string): never {
  const total = skipped.unknown.length + skipped.disposed.length;
  const unknown = skipped.unknown.slice(0, LIST_CAP);
  const disposed = skipped.disposed.slice(0, LIST_CAP);
  const d = skipped.disposed.length;
  if (skipped.unknown.length > 0) {
    throw new AppError(
      'label_items_not_found',
      `${ofThem(skipped.unknown.length, 'evidence numbers')} not registered${
        d ? ` and ${d} ${d === 1 ? 'is' : 'are'} disposed of` : ''
      } (first: ${unknown[0]}); nothing was printed — fix the list or send skipMissing=true`,
      { unknown, disposed, total },
    );
  }
  const which = whole
    ? `${whole} holds ${d} disposed-of item${d === 1 ? '' : 's'}`
    : `${ofThem(d, 'items')} disposed of`;
  throw new AppError(
    'label_items_disposed',
    `${which} (first: ${disposed[0]}); nothing was printed — send skipMissing=true to print the others`,
    { unknown, disposed, total },
  );
}

const CHUNK = 500;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The selection as a fixed list: its count, its evidence numbers for the print event, and the
 * items page by page in the list's order. The pages print exactly the items the event names.
 */
function listed(db: Db, keep: string[], skipped: Skipped): ResolvedSelection {
  return {
    count: keep.length,
    skipped,
    evidenceNos: keep,
    *pages(size = 200) {
      for (const part of chunks(keep, size)) {
        const rows = prepared(db, `${SELECT} WHERE i.evidence_no IN (SELECT value FROM json_each(?))`).all(
          JSON.stringify(part),
        ) as Row[];
        const byNo = new Map(rows.map((r) => [r.evidence_no, r]));
        yield part.flatMap((no) => {
          const r = byNo.get(no);
          return r ? [toLabelItem(r)] : [];
        });
      }
    },
  };
}

function resolveList(db: Db, texts: string[], skipMissing: boolean): ResolvedSelection {
  const wanted = parseEvidenceNos(texts);
  const skipped: Skipped = { unknown: [], disposed: [] };
  const keep: string[] = [];
  for (const part of chunks(wanted, CHUNK)) {
    const rows = prepared(
      db,
      `SELECT evidence_no, status IN ${TERMINAL} AS gone FROM items WHERE evidence_no IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(part)) as { evidence_no: string; gone: number }[];
    const status = new Map(rows.map((r) => [r.evidence_no, r.gone]));
    for (const no of part) {
      const gone = status.get(no);
      if (gone === undefined) skipped.unknown.push(no);
      else if (gone) skipped.disposed.push(no);
      else keep.push(no);
    }
  }
  if ((skipped.unknown.length || skipped.disposed.length) && !skipMissing) refuse(skipped);
  return listed(db, keep, skipped);
}

/**
 * A case, a seizure or a location subtree: every item in it, in registration order, read in one
 * pass (a whole case is 67,000 rows: one walk of the index, not one for the count, one for the
 * disposed and one for the event's list).
 */
function resolveWhere(
  db: Db,
  where: string,
  param: string,
  skipMissing: boolean,
  whole: string,
): ResolvedSelection {
  const rows = prepared(
    db,
    `SELECT i.evidence_no AS no, i.status IN ${TERMINAL} AS gone FROM items i WHERE ${where} ORDER BY i.registered_seq`,
  ).all(param) as { no: string; gone: number }[];
  const keep: string[] = [];
  const disposed: string[] = [];
  for (const r of rows) (r.gone ? disposed : keep).push(r.no);
  const skipped: Skipped = { unknown: [], disposed };
  if (disposed.length && !skipMissing) refuse(skipped, whole);
  return listed(db, keep, skipped);
}

const SUBTREE = `i.location_code IN (WITH RECURSIVE sub(code) AS (SELECT ? UNION ALL
  SELECT l2.code FROM locations l2 JOIN sub ON l2.parent_code = sub.code) SELECT code FROM sub)`;

/** Resolves what to print; refuses unknown or disposed items unless skipMissing. */
export function resolveSelection(db: Db, sel: Selection, skipMissing: boolean): ResolvedSelection {
  switch (sel.by) {
    case 'items':
      return resolveList(db, sel.items, skipMissing);
    case 'caseId':
      getCase(db, sel.caseId);
      return resolveWhere(db, 'i.case_id = ?', sel.caseId, skipMissing, 'the case');
    case 'seizureId':
      getSeizure(db, sel.seizureId);
      return resolveWhere(db, 'i.seizure_id = ?', sel.seizureId, skipMissing, 'the seizure');
    case 'locationCode': {
      const loc = getLocation(db, sel.locationCode);
      return resolveWhere(db, SUBTREE, loc.code, skipMissing, `location ${loc.printed}`);
    }
  }
}
