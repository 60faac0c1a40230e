import type { RequestHandler } from 'express';
import type { Db } from '../db/open';
import { AppError } from '../lib/errors';
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
      req.user = authenticateToken(db, m[1]!);
      next();
    } catch (err) {
      next(err);
    }
  };
}
