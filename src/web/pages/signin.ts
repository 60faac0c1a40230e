import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { html } from '../html';
import { type I18n, i18n, isLang, langFromAcceptLanguage } from '../i18n';
import { document, langSwitch } from '../layout';
import { languageOf, lookupSession, SESSION_COOKIE, SESSION_MAX_MS, setLanguage } from '../sessions';
import { signIn, signOut } from '../signin';
import {
  checkFormCsrf,
  type PageLocals,
  readCookies,
  requireSession,
  sameSecret,
  setCookie,
} from '../web.auth';
import { errorPage, send } from '../web.router';

/** Before there is a session, the sign-in form's CSRF token is a cookie the form repeats (double submit). */
const PRESIGN_COOKIE = 'custody_presign';

const safeNext = (v: unknown) =>
  typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') ? v : '/';

function pageLang(req: Request) {
  const q = req.query.lang ?? (req.body as Record<string, unknown> | undefined)?.lang;
  return isLang(q) ? q : langFromAcceptLanguage(req.headers['accept-language']);
}

interface FormState {
  /** The person picked the language on this page (a link), rather than the browser. */
  chosen?: boolean;
  username?: string;
  message?: string;
  kind?: 'error' | 'info';
  next: string;
}

function signInPage(i: I18n, token: string, s: FormState): string {
  return document(
    i,
    i.t('signin.title'),
    null,
    [],
    html`<main class="signin" id="main">
  <div class="signin-card">
    <div class="signin-brand">${i.t('app.name')}</div>
    <p class="muted">${i.t('signin.lead')}</p>
    ${s.message ? html`<p class="msg ${s.kind ?? 'error'}" role="alert" id="signin-msg">${s.message}</p>` : ''}
    <form method="post" action="/signin" class="stack">
      <input type="hidden" name="_csrf" value="${token}">
      <input type="hidden" name="next" value="${s.next}">
      <input type="hidden" name="lang" value="${i.lang}">
      ${s.chosen ? html`<input type="hidden" name="chosen" value="1">` : ''}
      <label for="username">${i.t('signin.username')}</label>
      <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${s.username ?? ''}"${s.username ? '' : html` autofocus`}>
      <label for="password">${i.t('signin.password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1000"${s.username ? html` autofocus` : ''}>
      <button type="submit" class="btn primary">${i.t('signin.submit')}</button>
    </form>
    ${langSwitch(i, (l) => `/signin?lang=${l}${s.next !== '/' ? `&next=${encodeURIComponent(s.next)}` : ''}`)}
  </div>
</main>`,
  );
}

function presignToken(req: Request, res: Response): string {
  const have = readCookies(req)[PRESIGN_COOKIE];
  if (have && /^[A-Za-z0-9_-]{32}$/.test(have)) return have;
  const token = randomBytes(24).toString('base64url');
  setCookie(res, PRESIGN_COOKIE, token, { maxAgeS: 3600 });
  return token;
}

export function signInRoutes(r: Router, ctx: AppContext): void {
  r.get('/signin', (req, res) => {
    const found = lookupSession(ctx.db, readCookies(req)[SESSION_COOKIE], ctx.clock());
    const next = safeNext(req.query.next);
    if (found.state === 'valid') return res.redirect(303, next);
    const i = i18n(pageLang(req));
    const message = req.query.expired
      ? i.t('signin.expired')
      : req.query.signedout
        ? i.t('signin.signedOut')
        : req.query.required
          ? i.t('signin.required')
          : undefined;
    send(
      res,
      signInPage(i, presignToken(req, res), {
        next,
        chosen: isLang(req.query.lang),
        ...(message ? { message, kind: 'info' } : {}),
      }),
    );
  });

  r.post('/signin', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res, nextFn) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const i = i18n(pageLang(req));
    const next = safeNext(body.next);
    const username = typeof body.username === 'string' ? body.username.slice(0, 64) : '';
    const fail = (status: number, message: string) =>
      send(
        res,
        signInPage(i, presignToken(req, res), { next, username, message, chosen: body.chosen === '1' }),
        status,
      );
    const cookie = readCookies(req)[PRESIGN_COOKIE];
    if (!cookie || !sameSecret(typeof body._csrf === 'string' ? body._csrf : undefined, cookie))
      return fail(403, i.t('error.csrf_invalid'));
    try {
      const password = typeof body.password === 'string' ? body.password : '';
      const { secret, user } = await signIn(ctx, { username, password, ip: req.ip ?? 'unknown' });
      // A language picked on the sign-in page becomes the user's; the browser's only fills a gap.
      if (body.chosen === '1' || !languageOf(ctx.db, user.id)) setLanguage(ctx.db, user.id, i.lang);
      setCookie(res, SESSION_COOKIE, secret, { maxAgeS: SESSION_MAX_MS / 1000 });
      res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof AppError)) return nextFn(err);
      if (err.code === 'sign_in_locked') {
        const until = String(err.extra.retryAfter ?? '');
        res.setHeader(
          'Retry-After',
          String(Math.max(1, Math.ceil((Date.parse(until) - ctx.clock().getTime()) / 1000))),
        );
        return fail(429, i.t('signin.locked', { time: i.dateTime(until) }));
      }
      if (err.code === 'account_disabled') return fail(401, i.t('error.account_disabled'));
      return fail(401, i.t('signin.wrong'));
    }
  });

  r.post(
    '/signout',
    requireSession(ctx),
    express.urlencoded({ extended: false, limit: '4kb' }),
    async (req, res, next) => {
      try {
        checkFormCsrf(req);
        await signOut(ctx, req.webSession!.id, req.webSession!.user.id);
        setCookie(res, SESSION_COOKIE, '', { maxAgeS: 0 });
        res.redirect(303, '/signin?signedout=1');
      } catch (err) {
        // A stale form (no token): the error page in the user's language, still signed in.
        if (err instanceof AppError && err.code === 'csrf_invalid')
          return errorPage(res, res.locals.page as PageLocals, err);
        next(err);
      }
    },
  );
}
