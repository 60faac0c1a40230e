import express, { type Request, type Response, type Router } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../lib/errors';
import { assetsHandler } from './assets';
import { html } from './html';
import { i18n, isLang, type MessageKey } from './i18n';
import { layout } from './layout';
import { accountPage, usersPage } from './pages/account';
import { auditPage, auditsPage } from './pages/audits';
import { casePage, casesPage } from './pages/cases';
import { dashboardPage } from './pages/dashboard';
import { disposalPage, disposalsPage } from './pages/disposals';
import { intakePage } from './pages/intake';
import { itemPage } from './pages/item';
import { labelsPage } from './pages/labels';
import { locationPage, locationsPage } from './pages/locations';
import { scanPage } from './pages/scan';
import { signInRoutes } from './pages/signin';
import { setLanguage } from './sessions';
import { checkFormCsrf, type PageLocals, requireSession } from './web.auth';

export type PageHandler = (req: Request, p: PageLocals, ctx: AppContext) => string | Promise<string>;

/** The web app at `/`: server-rendered pages over the services, a little script for scanning, intake and charts. */
export function webRouter(ctx: AppContext): Router {
  const r = express.Router();
  r.get('/assets/:file', assetsHandler());
  signInRoutes(r, ctx);

  const session = requireSession(ctx);
  const page = (path: string, handler: PageHandler) =>
    r.get(path, session, async (req, res) => {
      const p = res.locals.page as PageLocals;
      try {
        send(res, await handler(req, p, ctx));
      } catch (err) {
        errorPage(res, p, err);
      }
    });
  page('/', dashboardPage);
  page('/cases', casesPage);
  page('/cases/:caseId', casePage);
  page('/items/:evidenceNo', itemPage);
  page('/scan', scanPage);
  page('/intake', intakePage);
  page('/locations', locationsPage);
  page('/locations/:code', locationPage);
  page('/account', accountPage);
  page('/users', usersPage);
  page('/disposals', disposalsPage);
  page('/disposals/:disposalId', disposalPage);
  page('/audits', auditsPage);
  page('/labels', labelsPage);
  page('/audits/:id', auditPage);
  r.post('/account/language', session, express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const p = res.locals.page as PageLocals;
    try {
      checkFormCsrf(req);
      const lang = (req.body as Record<string, unknown>).lang;
      if (!isLang(lang)) throw new AppError('validation_failed', 'unknown language');
      setLanguage(ctx.db, p.session.user.id, lang);
      const back = (req.body as Record<string, unknown>).back;
      res.redirect(
        303,
        typeof back === 'string' && back.startsWith('/') && !back.startsWith('//') ? back : '/account',
      );
    } catch (err) {
      errorPage(res, p, err);
    }
  });
  return r;
}

export function send(res: Response, body: string, status = 200) {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.send(body);
}

/** A refusal (unknown item, wrong check digit, a role that may not) as a page in the user's language. */
export function errorPage(res: Response, p: PageLocals, err: unknown) {
  const e = err instanceof AppError ? err : null;
  if (!e) res.req.log?.error?.({ err }, 'web page failed');
  const status = e?.status ?? 500;
  const key = `error.${e?.code ?? 'internal_error'}` as MessageKey;
  const { i } = p;
  const known = i.t(key) !== key;
  const text = known ? i.t(key) : i.t('error.generic');
  send(
    res,
    layout(i, p.session, {
      title: i.t('error.title'),
      body: html`<div class="panel error-panel" role="alert"><p class="big">${text}</p>
        ${e ? html`<p class="muted">${known ? e.code : `${e.message} (${e.code})`}</p>` : ''}
        <p><a class="btn" href="/">${i.t('nav.dashboard')}</a></p></div>`,
    }),
    status,
  );
}

export { i18n };
