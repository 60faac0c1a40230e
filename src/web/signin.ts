import type { AppContext } from '../context';
import { AppError } from '../lib/errors';
import { decoyHash, passwordMatches, storedHash } from '../modules/users/passwords';
import { type AuthUser, findUser } from '../modules/users/users.service';
import { createSession, endSession } from './sessions';
import { clearFailures, LOCK_AFTER, lockedUntil, recordFailure } from './throttle';

export interface SignInInput {
  username: string;
  password: string;
  ip: string;
}

const lockedError = (until: Date) =>
  new AppError('sign_in_locked', 'too many failed sign-ins; try again later', {
    retryAfter: until.toISOString(),
  });

/**
 * Checks a username and password. Wrong ones count towards a lock-out of that username (and of the
 * address); an unknown username costs the same scrypt time and gives the same answer as a wrong
 * password. Success opens a session and appends `user_signed_in`; a lock-out appends
 * `user_sign_in_locked` for a known user.
 */
export async function signIn(
  ctx: AppContext,
  input: SignInInput,
): Promise<{ secret: string; sessionId: string; user: AuthUser }> {
  const now = ctx.clock();
  const username = input.username.trim().toLowerCase();
  const userKey = `user:${username}`;
  const ipKey = `ip:${input.ip}`;
  const locked = lockedUntil(ctx.db, userKey, now) ?? lockedUntil(ctx.db, ipKey, now);
  if (locked) throw lockedError(locked);

  const user = username ? findUser(ctx.db, username) : null;
  const hash = user ? storedHash(ctx.db, user.id) : null;
  const ok = await passwordMatches(input.password, hash ?? (await decoyHash()));
  const after = ctx.clock();
  if (!ok || !user || !hash || user.disabled) {
    const userLocked = recordFailure(ctx.db, userKey, LOCK_AFTER.user, after);
    const ipLocked = recordFailure(ctx.db, ipKey, LOCK_AFTER.ip, after);
    if (userLocked && user) {
      await ctx.ledger.write((tx) =>
        tx.append({
          type: 'user_sign_in_locked',
          entityType: 'user',
          entityId: user.id,
          actor: 'system',
          data: { failures: LOCK_AFTER.user, ip: input.ip },
        }),
      );
    }
    const until = lockedUntil(ctx.db, userKey, after) ?? lockedUntil(ctx.db, ipKey, after);
    if (until && (userLocked || ipLocked)) throw lockedError(until);
    if (ok && user?.disabled) throw new AppError('account_disabled', 'this account is disabled');
    throw new AppError('sign_in_failed', 'the username or password is wrong');
  }
  clearFailures(ctx.db, userKey);
  return ctx.ledger.write((tx) => {
    const session = createSession(tx.db, user.id, tx.now);
    tx.append({
      type: 'user_signed_in',
      entityType: 'user',
      entityId: user.id,
      actor: user.id,
      data: { method: 'password', sessionId: session.id, ip: input.ip },
    });
    return {
      secret: session.secret,
      sessionId: session.id,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
    };
  });
}

export async function signOut(ctx: AppContext, sessionId: string, userId: string): Promise<void> {
  await ctx.ledger.write((tx) => {
    endSession(tx.db, sessionId, tx.now);
    tx.append({
      type: 'user_signed_out',
      entityType: 'user',
      entityId: userId,
      actor: userId,
      data: { sessionId },
    });
  });
}
