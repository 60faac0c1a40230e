import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** What src/http/methods.ts reads to learn the routes behind a handler (a router's or a table's). */
export interface WithStack {
  stack?: unknown[];
}

/**
 * Handlers run one after another as a single middleware, as Express would run them (an error, or a
 * promise that rejects, goes to `next`), without a router pass per handler: the request path's
 * fixed middlewares cost one layer. The stacks of the handlers that have one (a route table) are
 * shown as the chain's own.
 */
export function chain(...handlers: (RequestHandler & WithStack)[]): RequestHandler & WithStack {
  const run = (req: Request, res: Response, next: NextFunction, i: number): void => {
    const handler = handlers[i];
    if (!handler) {
      next();
      return;
    }
    let called = false;
    const after = (err?: unknown) => {
      if (called) return;
      called = true;
      if (err) next(err);
      else run(req, res, next, i + 1);
    };
    try {
      const result: unknown = handler(req, res, after);
      if (result instanceof Promise)
        result.catch((err: unknown) => after(err ?? new Error('handler rejected')));
    } catch (err) {
      after(err);
    }
  };
  const stack = handlers.flatMap((h) => h.stack ?? []);
  return Object.assign((req: Request, res: Response, next: NextFunction) => run(req, res, next, 0), {
    stack,
  });
}
