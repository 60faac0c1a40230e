import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { parseEvidenceNo, parseLocationCode } from '../../lib/codes';
import { pageOf } from '../../lib/contract';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { LABEL_PRINTED_SQL } from '../labels/labels.prints';
import { getParty } from '../parties/parties.service';
import { findUser } from '../users/users.service';
import type { ItemSort } from './items.contract';
import type { ItemCategory, ItemStatus } from './items.enums';
import { toView, VIEW_SELECT, type ViewRow } from './items.view';

export interface ItemListInput {
  limit: number;
  cursor?: string | undefined;
  q?: string | undefined;
  caseId?: string | undefined;
  seizureId?: string | undefined;
  category?: ItemCategory | undefined;
  status?: ItemStatus | undefined;
  locationCode?: string | undefined;
  custodian?: string | undefined;
  holder?: string | undefined;
  checkedOut?: boolean | undefined;
  overdue?: boolean | undefined;
  labelPrinted?: boolean | undefined;
  sort: ItemSort;
}

/** Filters that are one column equal to the parameter of the same name. */
const EQUALS = [
  ['caseId', 'i.case_id'],
  ['seizureId', 'i.seizure_id'],
  ['category', 'i.category'],
  ['status', 'i.status'],
  ['custodian', 'i.custodian_user_id'],
  ['holder', 'i.holder_party_id'],
] as const;

const SORT_KEYS: Record<string, string> = {
  registered: 'i.registered_seq',
  evidenceNo: 'i.evidence_no',
  value: 'coalesce(i.value_minor, -1)',
};

const FULL_EV = /^EV-?\d{2}-?\d{7}-?\d$/;
const EV_PREFIX = /^EV[-\d]*$/;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const MAX_WORDS = 12;

/**
 * The FTS5 query for free text: each word (letters and digits, as the unicode61 tokenizer splits
 * them) quoted and matched by its start, all of them required. Quoting keeps FTS5's own syntax
 * (AND, NEAR, *, ^, column filters) out of a user's text. Null when the text has no word.
 */
export function textQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}\p{M}]+/gu);
  if (!words) return null;
  return words
    .slice(0, MAX_WORDS)
    .map((w) => `"${w}"*`)
    .join(' ');
}

/** A custodian named by user id or username (404 user_not_found for neither). */
function custodianId(db: Db, idOrUsername: string): string {
  const user = findUser(db, idOrUsername);
  if (!user) {
    throw new AppError('user_not_found', `no user "${idOrUsername}" (a user id or username)`, {
      field: 'custodian',
    });
  }
  return user.id;
}

/**
 * Keyset pagination on (sort key, registered_seq): an item registered while a client pages
 * through sorts after every page it has seen (in ascending order) or before them (descending),
 * so pages never repeat or skip an item.
 */
export function listItems(db: Db, q: ItemListInput, now: Date = new Date()) {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (q.q) {
    const t = q.q.trim().toUpperCase();
    if (FULL_EV.test(t)) {
      where.push('i.evidence_no = @ev');
      params.ev = parseEvidenceNo(t).compact;
    } else if (EV_PREFIX.test(t)) {
      const prefix = t.replace(/-/g, '');
      where.push('i.evidence_no >= @evFrom AND i.evidence_no < @evTo');
      params.evFrom = prefix;
      params.evTo = `${prefix}:`; // ':' sorts right after '9'
    } else {
      // A serial number exactly or by its start (keys as printed, with their dashes), or words.
      const words = textQuery(q.q);
      where.push(
        `(i.serial_number = @q OR i.serial_number LIKE @qStart ESCAPE '\\'${
          words
            ? ' OR i.registered_seq IN (SELECT rowid FROM items_search WHERE items_search MATCH @words)'
            : ''
        })`,
      );
      params.q = q.q;
      params.qStart = `${likeEscape(q.q)}%`;
      if (words) params.words = words;
    }
  }
  for (const [name, column] of EQUALS) {
    const value =
      name === 'custodian' && q.custodian
        ? custodianId(db, q.custodian)
        : name === 'holder' && q.holder
          ? getParty(db, q.holder).id
          : q[name];
    if (value) {
      where.push(`${column} = @${name}`);
      params[name] = value;
    }
  }
  if (q.locationCode) {
    where.push(`i.location_code IN (WITH RECURSIVE sub(code) AS (SELECT @loc UNION ALL
      SELECT l2.code FROM locations l2 JOIN sub ON l2.parent_code = sub.code) SELECT code FROM sub)`);
    params.loc = parseLocationCode(q.locationCode).compact;
  }
  if (q.checkedOut !== undefined)
    where.push(q.checkedOut ? "i.status = 'checked_out'" : "i.status <> 'checked_out'");
  if (q.overdue !== undefined) {
    const overdue = `(i.status = 'checked_out' AND i.due_at IS NOT NULL AND julianday(i.due_at) < julianday(@now))`;
    where.push(q.overdue ? overdue : `NOT ${overdue}`);
    params.now = now.toISOString();
  }

  if (q.labelPrinted !== undefined)
    where.push(q.labelPrinted ? LABEL_PRINTED_SQL : `NOT ${LABEL_PRINTED_SQL}`);
  const desc = q.sort.startsWith('-');
  const sortName = desc ? q.sort.slice(1) : q.sort;
  const key = SORT_KEYS[sortName] as string;
  if (q.cursor) {
    const c = decodeCursor<{ o: string; k: string | number; s: number }>(q.cursor, ['o', 'k', 's']);
    if (c.o !== q.sort) throw new AppError('invalid_cursor', 'the cursor belongs to another sort order');
    const op = desc ? '<' : '>';
    where.push(`(${key} ${op} @ck OR (${key} = @ck AND i.registered_seq ${op} @cs))`);
    params.ck = c.k;
    params.cs = c.s;
  }
  const dir = desc ? 'DESC' : 'ASC';
  const sql = `${VIEW_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${key} ${dir}, i.registered_seq ${dir} LIMIT @limit`;
  const rows = prepared(db, sql).all({ ...params, limit: q.limit + 1 }) as ViewRow[];
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  let next: string | null = null;
  if (more && last) {
    const k =
      sortName === 'registered'
        ? last.registered_seq
        : sortName === 'evidenceNo'
          ? last.evidence_no
          : (last.value_minor ?? -1);
    next = encodeCursor({ o: q.sort, k, s: last.registered_seq });
  }
  return pageOf(
    page.map((r) => toView(r, now)),
    next,
  );
}
