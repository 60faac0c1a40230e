import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../../lib/errors';
import { IMPORT_MAX_ROWS, ITEM_LIMITS } from './items.contract';
import { ITEM_CATEGORIES, type ItemCategory } from './items.enums';
import { type ImportRow, type ItemInput, type RowError, rowsInvalid, tooManyRows } from './items.input';

/**
 * The CSV import's columns (README, "Items, custody and CSV import"). Header names are
 * case-insensitive and may come in any order; only `category` is required. `duplicate_ok`
 * (true/false, yes/no, 1/0) lets a row register a serial number the case already holds.
 */
export const CSV_COLUMNS = [
  'category',
  'make',
  'model',
  'serial',
  'quantity',
  'unit',
  'hashrate_ths',
  'power_w',
  'seal_no',
  'condition',
  'description',
  'duplicate_ok',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

const SAVE_AS_UTF8 =
  'the file is not UTF-8 text (a Russian-locale Excel saves plain "CSV" as Windows-1251). ' +
  'In Excel choose File › Save As and the type "CSV UTF-8 (Comma delimited) (*.csv)", or in LibreOffice tick ' +
  '"Edit filter settings" and pick the character set "Unicode (UTF-8)", then import the new file';

/** Decodes the body strictly: a byte sequence that is not UTF-8 is refused, never guessed at. */
export function decodeUtf8(body: Buffer): string {
  try {
    // ignoreBOM: false strips a leading UTF-8 BOM (Excel's "CSV UTF-8" writes one).
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw new AppError('invalid_encoding', SAVE_AS_UTF8);
  }
}

/** `;` when the header line has more semicolons than commas (Excel in many European locales). */
function separatorOf(text: string): ';' | ',' {
  const end = text.search(/[\r\n]/);
  const header = end === -1 ? text : text.slice(0, end);
  let commas = 0;
  let semicolons = 0;
  for (const ch of header) {
    if (ch === ',') commas++;
    else if (ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Line breaks inside a record's quoted cells: each one moves the next record down a line. */
function breaksIn(record: string[]): number {
  let n = 0;
  for (const cell of record) {
    if (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) continue;
    n += cell.replace(/\r\n/g, '\n').split(/[\r\n]/).length - 1;
  }
  return n;
}

const NUMERIC_TAIL = /^\d+([.,]\d+)?$/;

/**
 * A cell a spreadsheet would run as a formula (CSV injection, OWASP): `=` or `@` first, `+` or `-`
 * followed by something other than a number, or a leading tab or carriage return.
 */
export function isFormulaLike(cell: string): boolean {
  const first = cell[0];
  if (first === '=' || first === '@' || first === '\t' || first === '\r') return true;
  if (first === '+' || first === '-') return cell.length > 1 && !NUMERIC_TAIL.test(cell.slice(1));
  return false;
}

const CATEGORIES = new Set<string>(ITEM_CATEGORIES);

type Cell = (value: string, item: ItemInput, fail: (message: string) => void) => void;

function text(
  key: 'make' | 'model' | 'serialNumber' | 'sealNo' | 'condition' | 'description',
  max: number,
): Cell {
  return (v, item, fail) => {
    if (v.length > max) fail(`is longer than ${max} characters`);
    else if (v) item[key] = v;
  };
}

function decimal(key: 'hashrateThs' | 'powerW', max: number, comma: boolean): Cell {
  const re = comma ? /^\d+([.,]\d+)?$/ : /^\d+(\.\d+)?$/;
  return (v, item, fail) => {
    if (v === '') return;
    if (!re.test(v)) {
      fail(v.startsWith('-') ? `must be 0 or more, got "${v}"` : `is not a number: "${v}"`);
      return;
    }
    const n = Number(comma ? v.replace(',', '.') : v);
    if (n > max) fail(`must be at most ${max}, got ${v}`);
    else item[key] = n;
  };
}

function cellsFor(comma: boolean): Record<Column, Cell> {
  return {
    category: (v, item, fail) => {
      const c = v.toLowerCase();
      if (CATEGORIES.has(c)) item.category = c as ItemCategory;
      else fail(v ? `"${v}" is not a category (one of ${ITEM_CATEGORIES.join(', ')})` : 'is required');
    },
    make: text('make', ITEM_LIMITS.text),
    model: text('model', ITEM_LIMITS.text),
    serial: text('serialNumber', ITEM_LIMITS.text),
    quantity: (v, item, fail) => {
      if (v === '') return;
      if (/^\d+$/.test(v)) {
        const n = Number(v);
        if (n < 1) fail('must be 1 or more');
        else if (n > ITEM_LIMITS.quantity) fail(`must be at most ${ITEM_LIMITS.quantity}`);
        else item.quantity = n;
      } else if (/^-\d+([.,]\d+)?$/.test(v)) fail(`must be 1 or more, got "${v}"`);
      else if (/^\d+[.,]\d+$/.test(v)) fail(`must be a whole number, got "${v}"`);
      else fail(`is not a number: "${v}"`);
    },
    unit: (v, item, fail) => {
      if (v.length > ITEM_LIMITS.unit) fail(`is longer than ${ITEM_LIMITS.unit} characters`);
      else if (v) item.unit = v;
    },
    hashrate_ths: decimal('hashrateThs', ITEM_LIMITS.hashrateThs, comma),
    power_w: decimal('powerW', ITEM_LIMITS.powerW, comma),
    seal_no: text('sealNo', ITEM_LIMITS.sealNo),
    condition: text('condition', ITEM_LIMITS.condition),
    description: text('description', ITEM_LIMITS.description),
    duplicate_ok: (v, item, fail) => {
      // Exactly what the message says (any case, as Excel writes TRUE); empty is false.
      const b = v.toLowerCase();
      if (b === 'true') item.duplicateSerialOk = true;
      else if (b !== 'false' && b !== '') fail(`must be true or false, got "${v}"`);
    },
  };
}

const unnamed: Cell = (v, _item, fail) => {
  if (v) fail(`holds "${v}" but its column has no name in the header line`);
};

function csvError(detail: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('invalid_csv', detail, extra);
}

/**
 * Reads an import CSV (RFC 4180 via csv-parse; `,` or `;` as found in the header; BOM, CRLF, LF
 * accepted) into rows, or throws: invalid_encoding, invalid_csv (the file's shape), too_many_rows,
 * or import_rows_invalid listing every bad row by line and column.
 */
export function readItemsCsv(body: Buffer): ImportRow[] {
  const textBody = decodeUtf8(body);
  if (textBody.trim() === '') throw csvError('the CSV is empty; the first line must name the columns');
  const delimiter = separatorOf(textBody);
  let records: string[][];
  try {
    records = parse(textBody, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      bom: true,
    }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw csvError(`the CSV cannot be read${line ? ` at line ${line}` : ''}: ${err.message}`, {
        line: line ?? null,
      });
    }
    throw err;
  }

  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const known = new Set<string>(CSV_COLUMNS);
  // A nameless column (Excel's trailing separator) is allowed as long as it stays empty.
  const unknown = header.filter((h) => h !== '' && !known.has(h));
  if (unknown.length > 0) {
    throw csvError(`unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')} in the header line`, {
      line: 1,
      unknownColumns: unknown,
      allowedColumns: CSV_COLUMNS,
    });
  }
  const repeated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (repeated.length > 0)
    throw csvError(`column "${repeated[0]}" appears twice in the header line`, { line: 1 });
  if (!header.includes('category')) {
    throw csvError('the header line has no "category" column', { line: 1, allowedColumns: CSV_COLUMNS });
  }

  const blank = (r: string[]) => r.every((c) => c.trim() === '');
  let dataRows = 0;
  for (let i = 1; i < records.length; i++) if (!blank(records[i] as string[])) dataRows++;
  if (dataRows > IMPORT_MAX_ROWS) throw tooManyRows(dataRows);
  if (dataRows === 0) throw csvError('the CSV has a header line but no rows');

  const cells = cellsFor(delimiter === ';');
  const handlers = header.map((h) => (h === '' ? unnamed : cells[h as Column]));
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  let line = 1 + breaksIn(records[0] as string[]) + 1;
  for (let i = 1; i < records.length; i++) {
    const record = records[i] as string[];
    const at = line;
    line += 1 + breaksIn(record);
    if (blank(record)) continue;
    if (record.length !== header.length) {
      errors.push({
        line: at,
        column: null,
        message: `has ${record.length} field(s) but the header has ${header.length}`,
      });
      continue;
    }
    const item: ItemInput = { category: 'other', quantity: 1, unit: 'pcs' };
    let ok = true;
    for (let c = 0; c < record.length; c++) {
      const raw = record[c] as string;
      const column = header[c] || `column ${c + 1}`;
      if (isFormulaLike(raw)) {
        ok = false;
        errors.push({
          line: at,
          column,
          message: `starts with "${JSON.stringify(raw[0]).slice(1, -1)}", which a spreadsheet would run as a formula; remove or change the first character`,
        });
        continue;
      }
      (handlers[c] as Cell)(raw.trim(), item, (message) => {
        ok = false;
        errors.push({ line: at, column, message: header[c] ? `${column} ${message}` : message });
      });
    }
    if (ok) rows.push({ line: at, item });
  }
  if (errors.length > 0) throw rowsInvalid(errors, dataRows);
  return rows;
}
