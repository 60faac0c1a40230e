import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Actor, Tx } from '../../ledger/types';
import { type EvidenceNo, formatEvidenceNo, parseEvidenceNo, SERIAL_MAX } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { checkNotBefore, checkOccurredAt } from '../../lib/time';
import { getCaseOpenForIntake } from '../cases/cases.service';
import { getSeizureOfCase, type SeizureView } from '../seizures/seizures.service';
import {
  type ImportRow,
  type ItemInput,
  type RowError,
  rowPlace,
  rowsInvalid,
  shownRowError,
} from './items.input';
import { type ItemRow, type ItemView, toView, VIEW_SELECT, type ViewRow } from './items.view';

export { type ItemListInput, listItems } from './items.search';
export type { ItemRow, ItemView };

/** The stored row for a compact evidence number, or null. */
export function findItemRow(db: Db, compact: string): ItemRow | null {
  return (
    (prepared(db, 'SELECT * FROM items WHERE evidence_no = ?').get(compact) as ItemRow | undefined) ?? null
  );
}

/**
 * The item for an evidence number in either form: 400 invalid_evidence_number / invalid_check_digit
 * for a bad number, 404 item_not_found for a good one nobody registered.
 */
export function getItem(db: Db, evidenceNoText: string, now: Date = new Date()): ItemView {
  const ev = parseEvidenceNo(evidenceNoText);
  const row = prepared(db, `${VIEW_SELECT} WHERE i.evidence_no = ?`).get(ev.compact) as ViewRow | undefined;
  if (!row) throw new AppError('item_not_found', `no item "${ev.printed}"`, { evidenceNo: ev.compact });
  return toView(row, now);
}

// ---------------------------------------------------------------------------------------------
// Registration

/**
 * Hands out the year's next evidence serials. The year is the UTC year of the transaction's
 * recording time (tx.now); the counter is read inside the write transaction and advanced by the
 * item projector as each item_registered event is appended, so serials are gap-free and unique.
 */
function allocator(tx: Tx): () => EvidenceNo {
  const year = tx.now.getUTCFullYear();
  const row = prepared(tx.db, 'SELECT last_serial FROM evidence_counters WHERE year = ?').get(year) as
    | { last_serial: number }
    | undefined;
  let next = (row?.last_serial ?? 0) + 1;
  return () => {
    if (next > SERIAL_MAX) {
      throw new AppError('conflict', `all ${SERIAL_MAX} evidence numbers of ${year} are used`);
    }
    return formatEvidenceNo(year % 100, next++);
  };
}

const norm = (s: string | undefined | null) => (s ?? '').trim().toLowerCase();
/** Make and model compare ignoring case and surrounding space; the serial number compares exactly. */
const serialKey = (make: string | null | undefined, model: string | null | undefined, serial: string) =>
  `${norm(make)}\u0001${norm(model)}\u0001${serial}`;

function eventData(
  caseId: string,
  seizureId: string,
  item: ItemInput,
  importId?: string,
): Record<string, unknown> {
  const { duplicateSerialOk, ...fields } = item;
  return {
    caseId,
    seizureId,
    ...fields,
    ...(duplicateSerialOk ? { duplicateSerialOk: true } : {}),
    ...(importId ? { importId } : {}),
  };
}

/** Checks a parent container: registered, in the same case, a container. Returns the problem or null. */
function parentProblem(
  db: Db,
  caseId: string,
  parent: string,
): { code: 'item_not_found' | 'invalid_parent'; message: string } | null {
  const row = findItemRow(db, parent);
  if (!row) return { code: 'item_not_found', message: `parent item ${parent} is not registered` };
  if (row.case_id !== caseId)
    return { code: 'invalid_parent', message: `parent item ${parent} belongs to another case` };
  if (row.category !== 'container') {
    return { code: 'invalid_parent', message: `parent item ${parent} is a ${row.category}, not a container` };
  }
  return null;
}

/** An item is registered at or after its seizure (409 occurred_before_seizure). */
function notBeforeSeizure(occurredAt: string | undefined, now: Date, seizure: SeizureView): void {
  checkNotBefore(occurredAt, now, [
    { code: 'occurred_before_seizure', what: `its seizure ${seizure.id}`, at: seizure.seizedAt },
  ]);
}

export interface RegisterItemInput extends ItemInput {
  caseId: string;
  seizureId: string;
}

export function registerItem(
  tx: Tx,
  input: RegisterItemInput,
  actor: Actor,
  now: Date = tx.now,
  occurredAt?: string,
): ItemView {
  checkOccurredAt(occurredAt, tx.now);
  const { caseId, seizureId, ...item } = input;
  getCaseOpenForIntake(tx.db, caseId);
  notBeforeSeizure(occurredAt, tx.now, getSeizureOfCase(tx.db, caseId, seizureId));
  if (item.parentEvidenceNo) {
    const problem = parentProblem(tx.db, caseId, item.parentEvidenceNo);
    if (problem) throw new AppError(problem.code, problem.message, { field: 'parentEvidenceNo' });
  }
  if (item.serialNumber && !item.duplicateSerialOk) {
    const key = serialKey(item.make, item.model, item.serialNumber);
    const same = (
      prepared(
        tx.db,
        'SELECT evidence_no, make, model FROM items WHERE serial_number = ? AND case_id = ?',
      ).all(item.serialNumber, caseId) as {
        evidence_no: string;
        make: string | null;
        model: string | null;
      }[]
    ).find((r) => serialKey(r.make, r.model, item.serialNumber as string) === key);
    if (same) {
      throw new AppError(
        'duplicate_serial',
        `serial number "${item.serialNumber}" of ${[item.make, item.model].filter(Boolean).join(' ') || 'this make and model'} is already registered in this case as ${same.evidence_no}; send duplicateSerialOk: true if both are real`,
        { field: 'serialNumber', evidenceNo: same.evidence_no },
      );
    }
  }
  const [evidenceNo] = appendRegistrations(tx, { caseId, seizureId, occurredAt }, [item], actor);
  return getItem(tx.db, evidenceNo as string, now);
}

/** Appends one item_registered event per item, numbered in order; returns the evidence numbers. */
function appendRegistrations(
  tx: Tx,
  where: { caseId: string; seizureId: string; occurredAt: string | undefined; importId?: string },
  itemsToRegister: ItemInput[],
  actor: Actor,
): string[] {
  const next = allocator(tx);
  return itemsToRegister.map((item) => {
    const ev = next();
    tx.append({
      type: 'item_registered',
      entityType: 'item',
      entityId: ev.compact,
      actor,
      occurredAt: where.occurredAt,
      data: eventData(where.caseId, where.seizureId, item, where.importId),
    });
    return ev.compact;
  });
}

export interface ImportResult {
  importId: string;
  caseId: string;
  seizureId: string;
  count: number;
  first: string | null;
  last: string | null;
  evidenceNos: string[];
}

/**
 * Registers every row, or none: rows are checked against the case (duplicate serials, already
 * stored or repeated in the file; parent containers) and every bad row is reported before
 * anything is appended. One transaction; one event per item.
 */
export function importItems(
  tx: Tx,
  input: {
    caseId: string;
    seizureId: string;
    rows: ImportRow[];
    occurredAt?: string | undefined;
    dryRun?: boolean | undefined;
  },
  actor: Actor,
): ImportResult {
  const { caseId, seizureId, rows, occurredAt } = input;
  checkOccurredAt(occurredAt, tx.now);
  getCaseOpenForIntake(tx.db, caseId);
  notBeforeSeizure(occurredAt, tx.now, getSeizureOfCase(tx.db, caseId, seizureId));

  const errors: RowError[] = [];
  let onlyDuplicates = true;
  const seen = new Map<string, string>(); // serial key → where it was first seen
  for (const r of tx.db.sqlite
    .prepare(
      'SELECT evidence_no, make, model, serial_number FROM items WHERE case_id = ? AND serial_number IS NOT NULL',
    )
    .iterate(caseId) as Iterable<{
    evidence_no: string;
    make: string | null;
    model: string | null;
    serial_number: string;
  }>) {
    seen.set(
      serialKey(r.make, r.model, r.serial_number),
      `is already registered in this case as ${r.evidence_no}`,
    );
  }
  const parents = new Map<string, ReturnType<typeof parentProblem>>();
  for (const row of rows) {
    const { line, index, item } = row;
    if (item.serialNumber) {
      const key = serialKey(item.make, item.model, item.serialNumber);
      const earlier = seen.get(key);
      if (earlier && !item.duplicateSerialOk) {
        errors.push({
          line,
          index,
          column: 'serial',
          message: `serial number "${item.serialNumber}" (${[item.make, item.model].filter(Boolean).join(' ') || 'no make/model'}) ${earlier}; set the row’s duplicate_ok to true if both are real`,
        });
      } else if (!earlier) {
        seen.set(key, `is also at ${rowPlace(row)}`);
      }
    }
    if (item.parentEvidenceNo) {
      let problem = parents.get(item.parentEvidenceNo);
      if (problem === undefined) {
        problem = parentProblem(tx.db, caseId, item.parentEvidenceNo);
        parents.set(item.parentEvidenceNo, problem);
      }
      if (problem) {
        onlyDuplicates = false;
        errors.push({ line, index, column: 'parentEvidenceNo', message: problem.message });
      }
    }
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line);
    if (!onlyDuplicates) throw rowsInvalid(errors, rows.length);
    const lines = new Set(errors.map((e) => e.line)).size;
    throw new AppError(
      'duplicate_serial',
      `${lines} row(s) repeat a serial number of the same make and model in this case, so nothing was imported`,
      { errorCount: errors.length, rowCount: rows.length, errors: errors.map(shownRowError) },
    );
  }

  // A dry run (the web app's preview) stops here, every check passed, nothing appended.
  if (input.dryRun)
    return { importId: '', caseId, seizureId, count: rows.length, first: null, last: null, evidenceNos: [] };
  const importId = newId('imp');
  const evidenceNos = appendRegistrations(
    tx,
    { caseId, seizureId, occurredAt, importId },
    rows.map((r) => r.item),
    actor,
  );
  return {
    importId,
    caseId,
    seizureId,
    count: rows.length,
    first: evidenceNos[0] ?? null,
    last: evidenceNos[evidenceNos.length - 1] ?? null,
    evidenceNos,
  };
}
