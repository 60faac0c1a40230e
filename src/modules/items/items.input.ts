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

/** One bad cell or row of an import: CSV line in the file (header = 1), or JSON row number from 1. */
export interface RowError {
  line: number;
  column: string | null;
  message: string;
}

export interface ImportRow {
  line: number;
  item: ItemInput;
}

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
        ? ` (first: line ${first.line}${first.column ? `, ${first.column}` : ''}: ${first.message})`
        : ''),
    { errorCount: errors.length, rowCount, errors },
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
  rows.forEach((raw, i) => {
    const line = i + 1;
    const parsed = ItemFields.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ line, column: issue.path.map(String).join('.') || null, message: issue.message });
      }
      return;
    }
    try {
      out.push({ line, item: itemFromFields(parsed.data) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.push({ line, column: 'parentEvidenceNo', message: err.message });
    }
  });
  if (errors.length > 0) throw rowsInvalid(errors, rows.length);
  return out;
}
