import type { RequestHandler } from 'express';
import type { Db } from '../db/open';
import { AppError } from '../lib/errors';
import { credentialsVersion } from '../modules/users/credentials.version';
import { type AuthUser, authenticateToken } from '../modules/users/users.service';

export type { AuthUser };

declare global {
  namespace Express {
    interface Request {
      user?: AuthUser | null;
    }
  }
}

/**
 * Resolves `Authorization: Bearer <token>` to a user. A request without the header goes on as
 * anonymous (public routes answer; the others say 401); a header with a bad, revoked or disabled
 * user's token is refused here, whatever the route.
 */
export function authenticate(db: Db): RequestHandler {
  const lookup = tokenCache(db);
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      req.user = null;
      next();
      return;
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      next(new AppError('unauthenticated', 'the Authorization header must be "Bearer <token>"'));
      return;
    }
    try {
      req.user = lookup(m[1]!);
      next();
    } catch (err) {
      next(err);
    }
  };
}

const MAX_CACHED = 10_000;

/**
 * Token → user, remembered until anything could have changed the answer: a user or token event
 * applied in this process (credentialsVersion) or a commit by another process, such as the CLI on
 * the server's shell (SQLite's data_version, one cheap pragma). Only valid tokens are remembered.
 */
function tokenCache(db: Db): (token: string) => AuthUser {
  const dataVersion = db.sqlite.prepare('PRAGMA data_version').pluck();
  const users = new Map<string, AuthUser>();
  let local = -1;
  let shared = -1;
  return (token) => {
    const l = credentialsVersion(db);
    const s = dataVersion.get() as number;
    if (l !== local || s !== shared) {
      users.clear();
      local = l;
      shared = s;
    }
    const known = users.get(token);
    if (known) return known;
    const user = Object.freeze(authenticateToken(db, token));
    if (users.size >= MAX_CACHED) users.clear();
    users.set(token, user);
    return user;
  };
}
