import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { redactTokens } from '../http/redact';
import { AppError } from '../lib/errors';
import { type I18n, i18n, type Lang, langFromAcceptLanguage } from './i18n';
import { lookupSession, SESSION_COOKIE, type Session } from './sessions';

declare global {
  namespace Express {
    interface Request {
      /** The web session a request came with (browser pages and the API called from them). */
      webSession?: Session | null;
    }
  }
}

export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const header = req.headers.cookie;
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      // a malformed cookie is ignored, as browsers do
    }
  }
  return out;
}

/** Secure behind TLS: directly, or behind a proxy that says so (X-Forwarded-Proto; `trust proxy`). */
export const isHttps = (req: Request) => req.secure || req.headers['x-forwarded-proto'] === 'https';

export function setCookie(res: Response, name: string, value: string, opts: { maxAgeS?: number } = {}) {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (opts.maxAgeS !== undefined) parts.push(`Max-Age=${opts.maxAgeS}`);
  if (isHttps(res.req)) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}

export const sameSecret = (a: string | undefined, b: string) => {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * For the API under /api/v1: a request without a bearer token may come from the web app with its
 * session cookie. Then every state-changing request must carry the session's CSRF token in
 * `X-CSRF-Token`. A bearer token always wins, so scripts are unaffected.
 */
export function sessionAuth(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    if (req.user || req.headers.authorization) return next();
    const found = lookupSession(ctx.db, readCookies(req)[SESSION_COOKIE], ctx.clock());
    if (found.state === 'expired')
      return next(new AppError('session_expired', 'your session has expired; sign in again'));
    if (found.state === 'none') return next();
    if (UNSAFE.has(req.method) && !sameSecret(req.get('x-csrf-token'), found.session.csrfToken))
      return next(
        new AppError('csrf_invalid', 'the request lacks this session’s CSRF token; reload the page'),
      );
    req.webSession = found.session;
    req.user = found.session.user;
    next();
  };
}

export interface PageLocals {
  session: Session;
  i: I18n;
}

/** The language a page speaks: the user's choice, else the browser's. */
export function langFor(req: Request, session: Session | null): Lang {
  return session?.lang ?? langFromAcceptLanguage(req.headers['accept-language']);
}

/** Web pages: a signed-in session or a redirect to the sign-in page (saying why). */
export function requireSession(ctx: AppContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const found = lookupSession(ctx.db, readCookies(req)[SESSION_COOKIE], ctx.clock());
    if (found.state !== 'valid') {
      const back = req.method === 'GET' ? `&next=${encodeURIComponent(withoutTokens(req.originalUrl))}` : '';
      res.redirect(303, `/signin?${found.state === 'expired' ? 'expired=1' : 'required=1'}${back}`);
      return;
    }
    req.webSession = found.session;
    req.user = found.session.user;
    res.locals.page = { session: found.session, i: i18n(langFor(req, found.session)) } satisfies PageLocals;
    next();
  };
}

/**
 * The page to come back to after signing in, minus any token-shaped query parameter (`?t=cdy_…`):
 * the redirect's Location lands in browser history, where a token must not.
 */
export function withoutTokens(url: string): string {
  if (redactTokens(url) === url) return url;
  const parsed = new URL(url, 'http://web.invalid');
  for (const [name, value] of [...parsed.searchParams])
    if (redactTokens(`${name}=${value}`) !== `${name}=${value}`) parsed.searchParams.delete(name);
  return redactTokens(parsed.pathname) + parsed.search;
}

/** A form post from a page: its hidden `_csrf` field must be the session's token. */
export function checkFormCsrf(req: Request): void {
  const given = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!req.webSession || !sameSecret(typeof given === 'string' ? given : undefined, req.webSession.csrfToken))
    throw new AppError('csrf_invalid', 'the form lacks this session’s CSRF token; reload the page');
}
