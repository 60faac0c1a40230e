import { AppError } from './errors';

/** Opaque pagination cursors: base64url of a small JSON position, so clients cannot depend on it. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  keys: (keyof T)[],
): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
    if (typeof value === 'object' && value !== null && keys.every((k) => k in value)) return value;
  } catch {
    // fall through
  }
  throw new AppError('invalid_cursor', 'the cursor is not one this service gave out');
}

/**
 * Keyset pages over an increasing number (a `seq` or serial): read `limit + 1` rows after
 * `afterKey(cursor)`, then `keyPage` keeps `limit` of them and says whether there is a next page.
 */
export function afterKey(cursor: string | undefined): number {
  return cursor ? decodeCursor<{ s: number }>(cursor, ['s']).s : 0;
}

export function keyPage<T>(rows: T[], limit: number, keyOf: (row: T) => number) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor({ s: keyOf(last) }) : null };
}
