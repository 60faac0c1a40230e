import { AppError } from '../http/errors';

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
