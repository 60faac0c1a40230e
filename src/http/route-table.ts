import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { chain } from './chain';

/** One route of the table: what runs for a method on a path under /api/v1. */
export interface TableRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Literal segments and :params, e.g. `/cases/:caseId/seizures`. */
  path: string;
  handlers: RequestHandler[];
}

interface Entry {
  method: string;
  pattern: RegExp;
  names: string[];
  run: RequestHandler;
}

/** A layer as src/http/methods.ts reads a router's stack, so 405 and OPTIONS see these routes too. */
interface PseudoLayer {
  matchers: ((path: string) => false | { path: string })[];
  route: { methods: Record<string, boolean> };
}

/**
 * `/cases/:caseId/seizures` as Express matches it: any case, an optional trailing slash, each
 * parameter one non-empty segment.
 */
function compile(path: string): { pattern: RegExp; names: string[] } {
  if (!/^(\/(:[A-Za-z0-9_]+|[A-Za-z0-9._-]+))+$/.test(path)) {
    throw new Error(`${path}: a route's path is literal segments and :params only`);
  }
  const names: string[] = [];
  const source = path
    .split('/')
    .slice(1)
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.]/g, '\\.');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^/${source}/?$`, 'i'), names };
}

/** Decoded as Express decodes a parameter; malformed percent-encoding throws a URIError (400). */
const decode = (value: string) => (value.includes('%') ? decodeURIComponent(value) : value);

const firstSegment = (path: string) => {
  const end = path.indexOf('/', 1);
  return (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
};

/**
 * Routes behind one middleware: a table from the first path segment to that segment's
 * routes, in list order, built once. A request is matched against the few routes of its segment
 * (one regular expression each) instead of passing layer by layer through Express's router; a path
 * no route takes goes on (to 405 or 404). The table also shows itself as a router stack (`stack`),
 * from which 405's and OPTIONS' Allow header is read.
 */
export function routeTable(list: readonly TableRoute[]): RequestHandler & { stack: PseudoLayer[] } {
  const bySegment = new Map<string, Entry[]>();
  const stack: PseudoLayer[] = [];
  for (const spec of list) {
    const { pattern, names } = compile(spec.path);
    const entry = { method: spec.method.toUpperCase(), pattern, names, run: chain(...spec.handlers) };
    const segment = firstSegment(spec.path);
    bySegment.set(segment, [...(bySegment.get(segment) ?? []), entry]);
    stack.push({
      matchers: [(path) => (pattern.test(path) ? { path } : false)],
      route: { methods: { [spec.method]: true } },
    });
  }
  const table = (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    const entries = bySegment.get(firstSegment(path));
    if (!entries) return next();
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    for (const entry of entries) {
      if (entry.method !== method) continue;
      const m = entry.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        entry.names.forEach((name, i) => {
          params[name] = decode(m[i + 1]!);
        });
      } catch (err) {
        return next(err);
      }
      req.params = params;
      return entry.run(req, res, next);
    }
    next();
  };
  return Object.assign(table, { stack });
}
