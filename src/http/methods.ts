import type { Express, RequestHandler } from 'express';
import { AppError } from '../lib/errors';

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The parts of Express 5's router (router 2.x) read here: a layer's path matchers (pure functions of
 * a path, the same the router calls), the route a layer ends in, or the router it mounts.
 */
interface LayerLike {
  slash?: boolean;
  matchers?: ((path: string) => false | { path: string })[];
  route?: { methods: Record<string, boolean | undefined> };
  handle?: { stack?: unknown };
}

function matchedPrefix(layer: LayerLike, path: string): string | null {
  if (layer.slash) return '';
  for (const match of layer.matchers ?? []) {
    try {
      const m = match(path);
      if (m) return m.path;
    } catch {
      // a parameter that does not decode (%zz) matches nothing here; the router answers it itself
    }
  }
  return null;
}

/** Every method some route of `stack` answers at `path`, walking mounted routers (e.g. /api/v1). */
function methodsAt(stack: readonly LayerLike[], path: string, into: Set<string>, depth: number): void {
  for (const layer of stack) {
    const prefix = matchedPrefix(layer, path);
    if (prefix === null) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') into.add(method.toUpperCase());
      }
      continue;
    }
    const inner = layer.handle?.stack;
    if (Array.isArray(inner) && depth < 8) {
      const rest = path.slice(prefix.length);
      methodsAt(inner as LayerLike[], rest.startsWith('/') ? rest : `/${rest}`, into, depth + 1);
    }
  }
}

/** The methods the app answers at a request's path, in a fixed order, HEAD with GET; empty if none. */
export function allowedMethods(app: Express, url: string): string[] {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const found = new Set<string>();
  methodsAt((app.router as unknown as { stack: LayerLike[] }).stack, path, found, 0);
  if (found.has('GET')) found.add('HEAD');
  return ORDER.filter((m) => found.has(m));
}

/**
 * OPTIONS on any path the app answers: 204 with `Allow`, read from the app's own routes (so the
 * API, /api/v1/openapi.json, /docs and the web pages alike). Before authentication: it says only
 * which methods exist, as the OpenAPI document does. A path nothing answers goes on to 404.
 */
export function answerOptions(app: Express): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const allow = allowedMethods(app, req.originalUrl);
    if (allow.length === 0) return next();
    res.setHeader('Allow', [...allow, 'OPTIONS'].join(', '));
    res.status(204).end();
  };
}

/**
 * After every route: a path the app answers under other methods is 405 method_not_allowed with
 * `Allow`; any other path goes on to 404.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, res, next) => {
    const allow = allowedMethods(app, req.originalUrl);
    if (allow.length === 0 || allow.includes(req.method)) return next();
    res.setHeader('Allow', [...allow, 'OPTIONS'].join(', '));
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
