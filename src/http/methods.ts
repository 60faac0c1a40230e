import type { RequestHandler } from 'express';
import { AppError } from '../lib/errors';
import type { AnyRoute } from './route';

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `/cases/:caseId/seizures` as a regular expression over the raw path (Express matches alike). */
function pathPattern(path: string): RegExp {
  if (/[*?{}()]/.test(path)) throw new Error(`${path}: only literal segments and :params are supported here`);
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.+^$|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`, 'i');
}

/**
 * After every route: a path that exists under another method answers 405 method_not_allowed with
 * an `Allow` header computed from the route list (and OPTIONS answers 204 with it); any other path
 * goes on to 404.
 */
export function methodNotAllowed(routes: readonly AnyRoute[]): RequestHandler {
  const patterns = routes.map((r) => ({ pattern: pathPattern(r.path), method: r.method.toUpperCase() }));
  return (req, res, next) => {
    const allowed = new Set<string>();
    for (const p of patterns) if (p.pattern.test(req.path)) allowed.add(p.method);
    if (allowed.size === 0 || allowed.has(req.method)) {
      next();
      return;
    }
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = ORDER.filter((m) => allowed.has(m));
    res.setHeader('Allow', [...allow, 'OPTIONS'].join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(
      new AppError(
        'method_not_allowed',
        `${req.method} is not allowed here; this path answers ${allow.join(', ')}`,
        {
          allow,
        },
      ),
    );
  };
}
