import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Actor, Tx } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import { getUser } from './users.service';

/** scrypt N=2^15, r=8, p=1 (OWASP's minimum is 2^17 with less memory; this costs ≈ 32 MB, ≈ 50–100 ms). */
const N = 32768;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that never matches, so an unknown username costs the same time as a wrong password. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

export function checkPasswordRules(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX)
    throw new AppError(
      'password_too_weak',
      `a password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters (a few words are easy to remember)`,
    );
}

export function storedHash(db: Db, userId: string): string | null {
  const row = prepared(db, 'SELECT hash FROM user_passwords WHERE user_id = ?').get(userId) as
    | { hash: string }
    | undefined;
  return row?.hash ?? null;
}

/**
 * Sets a user's password (hash computed beforehand: scrypt is slow and must not run inside the
 * ledger's transaction). The ledger records who set it and whether it was a reset, never the hash.
 */
export function setPassword(
  tx: Tx,
  input: { userId: string; hash: string; reason: 'initial' | 'reset' | 'changed' },
  actor: Actor,
): void {
  const user = getUser(tx.db, input.userId);
  tx.append({
    type: 'user_password_set',
    entityType: 'user',
    entityId: user.id,
    actor,
    data: { reason: input.reason },
  });
  prepared(
    tx.db,
    `INSERT INTO user_passwords (user_id, hash, set_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at`,
  ).run(user.id, input.hash, tx.now.toISOString());
}
