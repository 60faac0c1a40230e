import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { HelmetOptions } from 'helmet';
import { type Logger, pino } from 'pino';
import { type AppContext, type ContextOptions, createContext } from './context';
import { authenticate } from './http/auth';
import { chain } from './http/chain';
import { docsRouter } from './http/docs';
import { answerOptions, methodNotAllowed } from './http/methods';
import { buildOpenApi } from './http/openapi';
import { errorHandler, notFoundHandler } from './http/problem';
import { requestLog } from './http/request-log';
import { honoursIdempotencyKey, routeHandlers } from './http/route';
import { routeTable } from './http/route-table';
import { securityHeaders } from './http/security-headers';
import { routes } from './modules/routes';
import { idempotency, itemPrecondition } from './web/idempotency';
import { sessionAuth } from './web/web.auth';
import { webRouter } from './web/web.router';

export interface AppOptions extends ContextOptions {
  logger?: Logger;
}

export interface App extends Express {
  locals: Express['locals'] & { ctx: AppContext };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The security headers (helmet's), sent on every answer. */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      // wasm-unsafe-eval: the camera decoder (zxing-wasm) compiles its WebAssembly, served by us.
      'script-src': ["'self'", "'wasm-unsafe-eval'"],
      'img-src': ["'self'", 'data:'],
      'style-src': ["'self'", "'unsafe-inline'"],
    },
  },
};

/** The client's well-formed `X-Request-Id`, else a UUID; sent back in the answer's header. */
const requestId: RequestHandler = (req, res, next) => {
  const given = req.headers['x-request-id'];
  req.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
};

/** Builds the HTTP app around one database and its ledger. No globals: tests make as many as they like. */
export function createApp(options: AppOptions): App {
  const ctx = createContext(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  const app = express() as App;
  app.locals.ctx = ctx;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The middlewares every request passes, as one layer (see chain).
  app.use(
    chain(
      requestId,
      // A silent logger (tests) skips the request log entirely.
      ...(logger.isLevelEnabled('fatal') ? [requestLog(logger)] : []),
      securityHeaders(HELMET_OPTIONS),
      answerOptions(app),
    ),
  );
  app.use('/docs', docsRouter());
  let openapi: unknown;
  const idempotent = idempotency(ctx);
  const api = routeTable([
    {
      method: 'get',
      path: '/openapi.json',
      handlers: [
        (_req, res) => {
          openapi ??= buildOpenApi(routes);
          res.json(openapi);
        },
      ],
    },
    ...routes.map((spec) => ({
      method: spec.method,
      path: spec.path,
      // A replayed write answers first; an item event from a stale page (If-Match) is refused
      // before anything else is read. The route list says where each applies (OpenAPI reads it too).
      handlers: [
        ...(honoursIdempotencyKey(spec) ? [idempotent] : []),
        ...(spec.ifMatch === 'item' ? [itemPrecondition(ctx)] : []),
        ...routeHandlers(ctx, spec),
      ],
    })),
  ]);
  // The web app calls the API with its session cookie (+ CSRF token).
  app.use('/api/v1', chain(authenticate(ctx.db), sessionAuth(ctx), api));
  app.use(webRouter(ctx));
  app.use(methodNotAllowed(app));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
