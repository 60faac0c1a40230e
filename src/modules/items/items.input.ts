import { parseEvidenceNo } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import type { z } from '../../lib/zod';
import { IMPORT_MAX_ROWS, ItemFields } from './items.contract';
import type { ItemCategory } from './items.enums';

/** One item to register, normalised: text trimmed, empty text absent, defaults applied. */
export interface ItemInput {
  category: ItemCategory;
  make?: string;
  model?: string;
  serialNumber?: string;
  quantity: number;
  unit: string;
  hashrateThs?: number;
  powerW?: number;
  sealNo?: string;
  condition?: string;
  description?: string;
  /** Compact form, already checked for its digit. */
  parentEvidenceNo?: string;
  duplicateSerialOk?: boolean;
}

/**
 * One bad cell or row of an import. `line` orders rows (a CSV file's line, header = 1; a JSON row's
 * position from 1); a JSON row also has its array `index` (from 0), which is what a client is told.
 */
export interface RowError {
  line: number;
  index?: number | undefined;
  column: string | null;
  message: string;
}

export interface ImportRow {
  line: number;
  /** The row's index in a JSON array (absent for CSV). */
  index?: number | undefined;
  item: ItemInput;
}

/** Where a row is, in the words of its source: "line 3" of a CSV file, "index 2" of a JSON array. */
export const rowPlace = (r: { line: number; index?: number | undefined }) =>
  r.index === undefined ? `line ${r.line}` : `index ${r.index}`;

/** A row error as the client sees it: `line` for CSV, `index` for JSON. */
export const shownRowError = (e: RowError) =>
  e.index === undefined
    ? { line: e.line, column: e.column, message: e.message }
    : { index: e.index, column: e.column, message: e.message };

const TEXT_KEYS = ['make', 'model', 'serialNumber', 'sealNo', 'condition', 'description'] as const;

/** ItemFields output → ItemInput; throws the AppError of a bad parentEvidenceNo. */
export function itemFromFields(f: z.infer<typeof ItemFields>): ItemInput {
  const item: ItemInput = { category: f.category, quantity: f.quantity, unit: f.unit };
  for (const k of TEXT_KEYS) {
    const v = f[k];
    if (v) item[k] = v;
  }
  if (f.hashrateThs != null) item.hashrateThs = f.hashrateThs;
  if (f.powerW != null) item.powerW = f.powerW;
  if (f.parentEvidenceNo) item.parentEvidenceNo = parseEvidenceNo(f.parentEvidenceNo).compact;
  if (f.duplicateSerialOk) item.duplicateSerialOk = true;
  return item;
}

/** Thrown when rows are bad: every bad row, by line and column, and nothing written. */
export function rowsInvalid(errors: RowError[], rowCount: number): AppError {
  const lines = new Set(errors.map((e) => e.line)).size;
  const first = errors[0];
  return new AppError(
    'import_rows_invalid',
    `${lines} of ${rowCount} row(s) are not valid, so nothing was imported` +
      (first
        ? ` (first: ${rowPlace(first)}${first.column ? `, ${first.column}` : ''}: ${first.message})`
        : ''),
    { errorCount: errors.length, rowCount, errors: errors.map(shownRowError) },
  );
}

export function tooManyRows(count: number): AppError {
  return new AppError(
    'too_many_rows',
    `the import holds ${count} rows; at most ${IMPORT_MAX_ROWS} are accepted in one request — split the file`,
    { rowCount: count, maxRows: IMPORT_MAX_ROWS },
  );
}

/** Checks the JSON form of an import row by row; throws with every bad row, or returns them all. */
export function readItemsJson(rows: unknown[]): ImportRow[] {
  if (rows.length > IMPORT_MAX_ROWS) throw tooManyRows(rows.length);
  if (rows.length === 0) throw new AppError('validation_failed', 'the import holds no rows');
  const out: ImportRow[] = [];
  const errors: RowError[] = [];
  rows.forEach((raw, index) => {
    const line = index + 1;
    const parsed = ItemFields.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({
          line,
          index,
          column: issue.path.map(String).join('.') || null,
          message: issue.message,
        });
      }
      return;
    }
    try {
      out.push({ line, index, item: itemFromFields(parsed.data) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.push({ line, index, column: 'parentEvidenceNo', message: err.message });
    }
  });
  if (errors.length > 0) throw rowsInvalid(errors, rows.length);
  return out;
}
