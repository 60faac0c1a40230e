import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../lib/errors';
import type { z } from '../lib/zod';
import { allows, type Permission } from '../modules/users/roles';
import type { AuthUser } from './auth';
import { rawBody } from './body';
import { parseStrictJson } from './json-body';
import { queryShapeOf, readQuery } from './query';
import { tokenPrefixIn } from './redact';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Infer<T> = T extends ZodType ? z.infer<T> : undefined;

export interface HandlerContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** The authenticated user; `null` only on public routes. */
  user: AuthUser;
  app: AppContext;
}

export interface ResponseSpec {
  status: number;
  description: string;
  schema?: ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteSpec<
  P extends ZodType | undefined,
  Q extends ZodType | undefined,
  B extends ZodType | undefined,
> {
  method: Method;
  /** Express path under /api/v1, e.g. `/cases/:caseId`. */
  path: string;
  /** `public` routes need no token. */
  permission: Permission | 'public';
  tags: string[];
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Content types the body may come in; JSON by default. JSON is parsed; any other type arrives as
   * a Buffer for the handler to decode (so it can refuse bytes that are not UTF-8).
   */
  bodyTypes?: string[];
  /** Largest body accepted (default 1 MB); more is refused with 413 payload_too_large. */
  bodyLimit?: string;
  response: ResponseSpec;
  errors?: string[];
  /**
   * `item`: an `If-Match: "<lastSeq>"` header is compared with the item at `:evidenceNo` before
   * anything else runs (412 item_changed, 400 invalid_if_match). Mounting and OpenAPI both read it.
   */
  ifMatch?: 'item';
  /** Returns the JSON body to send with `response.status`, or undefined when it answered itself. */
  handler: (ctx: HandlerContext<Infer<P>, Infer<Q>, Infer<B>>) => unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of routes, each typed at its definition.
export type AnyRoute = RouteSpec<any, any, any>;

export function defineRoute<
  P extends ZodType | undefined = undefined,
  Q extends ZodType | undefined = undefined,
  B extends ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec as AnyRoute;
}

function issuesOf(error: z.ZodError, where: string) {
  return error.issues.map((i) => ({
    in: where,
    path: i.path.map(String).join('.'),
    message: i.message,
    issue: i.code,
  }));
}

function parsePart<T extends ZodType>(schema: T | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = issuesOf(result.error, where);
    const first = errors[0];
    throw new AppError(
      'validation_failed',
      first ? `${where}${first.path ? ` ${first.path}` : ''}: ${first.message}` : `${where} is not valid`,
      { errors },
    );
  }
  return result.data;
}

/**
 * What runs for one route, in order: its body parser (if it takes a body), then its handler, which
 * checks the permission before validation (so a 403 never leaks what a body should be).
 */
export function routeHandlers(app: AppContext, spec: AnyRoute): RequestHandler[] {
  const queryShape = queryShapeOf(spec.query, `${spec.method.toUpperCase()} ${spec.path}`);
  const handler = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const user = req.user ?? null;
      if (spec.permission !== 'public') {
        if (!user) throw unauthenticated(req.originalUrl);
        if (!allows(spec.permission, user.role)) {
          throw new AppError('forbidden', `the ${user.role} role may not ${spec.summary.toLowerCase()}`, {
            role: user.role,
            requires: spec.permission,
          });
        }
      }
      // Before the body: a misspelt parameter is named even when the body is wrong too.
      const rawQuery = readQuery(req.url, queryShape);
      if (spec.body) {
        const type = req.headers['content-type'] ?? '';
        const accepted = spec.bodyTypes ?? ['application/json'];
        if (!accepted.some((t) => type.toLowerCase().startsWith(t))) {
          throw new AppError('unsupported_media_type', `send the body as ${accepted.join(' or ')}`);
        }
        if (isJson(type)) req.body = jsonBody(type, req.body);
        const at = actorPath(req.body, '', 0);
        if (at !== null) {
          throw new AppError(
            'actor_not_allowed',
            `the actor is the authenticated user; remove "${at}" from the body`,
            { path: at },
          );
        }
      }
      const params = parsePart(spec.params, req.params, 'path');
      const query = parsePart(spec.query, rawQuery, 'query');
      const body = parsePart(spec.body, req.body, 'body');
      const result = await spec.handler({ req, res, params, query, body, user: user as AuthUser, app });
      if (result !== undefined && !res.headersSent) answerJson(req, res, spec.response.status, result);
    } catch (err) {
      next(err);
    }
  };
  return [...bodyParsers(spec), handler];
}

const answersJson = (spec: AnyRoute) =>
  (spec.response.contentType ?? 'application/json') === 'application/json';

/**
 * Whether a route honours `Idempotency-Key` (src/web/idempotency.ts): a signed-in user's write whose
 * JSON answer is kept and replayed; a streamed answer (a label PDF) cannot be. Mounting and OpenAPI
 * both read it.
 */
export function honoursIdempotencyKey(spec: AnyRoute): boolean {
  return spec.method !== 'get' && spec.permission !== 'public' && answersJson(spec);
}

/**
 * Whether a route's success carries Express's weak ETag of its body (and answers If-None-Match
 * with 304): a GET whose JSON answer goes through answerJson. Routes that answer themselves name
 * their ETag in `response.headers`.
 */
export function answersWithBodyEtag(spec: AnyRoute): boolean {
  return spec.method === 'get' && answersJson(spec);
}

/**
 * HEAD is safe (RFC 9110). On a GET route that makes something when asked (a print job, a report),
 * HEAD checks the request as GET would (`check` throws the same refusals; a route that has already
 * checked gives none) and answers the status and headers, but makes and records nothing. True when
 * it has answered.
 */
export function answeredHead(
  req: Request,
  res: Response,
  answer: { contentType: string; headers?: Record<string, string>; check?: () => unknown },
): boolean {
  if (req.method !== 'HEAD') return false;
  answer.check?.();
  res.status(200).setHeader('Content-Type', answer.contentType);
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.end();
  return true;
}

/**
 * `response.headers` of a GET that answers itself whole with res.send (an image, a report drawn in
 * memory): Express gives it the same weak ETag. The OpenAPI test checks every GET against it.
 */
export const SENT_WHOLE = {
  ETag: 'A weak entity tag of these bytes: If-None-Match with it answers 304 Not Modified while they are the same',
};

/**
 * A route's JSON answer. Reads go through res.json, so Express's ETag and 304 apply. A write's
 * answer is written in one res.end: an ETag of its body (a SHA-1 over it) is of no use to anyone,
 * nor is res.send's content-type rewriting. When a middleware wrapped res.send for this answer
 * (the web app's Idempotency-Key keeps the answer it sends), the answer goes through it.
 */
function answerJson(req: Request, res: Response, status: number, body: unknown): void {
  if (req.method === 'GET' || req.method === 'HEAD' || status === 204 || Object.hasOwn(res, 'send')) {
    res.status(status).json(body);
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function unauthenticated(url: string): AppError {
  const where =
    'send an API token in the Authorization header ("Authorization: Bearer <token>"); tokens go in that header only, never in the URL';
  const prefix = tokenPrefixIn(url);
  if (prefix === null) return new AppError('unauthenticated', where);
  return new AppError(
    'unauthenticated',
    `${where}. This URL carries a token (${prefix}), and URLs end up in proxy, browser and server logs: ` +
      'revoke that token (POST /tokens/:tokenId/revoke) and send a new one in the header',
  );
}

/**
 * Where a body names an `actor` (top level, or inside a batch entry or import row), or null.
 * Our schemas have no such member anywhere, so its presence is always an attempt to choose the actor.
 */
function actorPath(value: unknown, path: string, depth: number): string | null {
  // Raw bodies (CSV) arrive as a Buffer: only parsed JSON has members to look into.
  if (depth > 3 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, child] of entries) {
    const here = path === '' ? String(key) : `${path}.${key}`;
    if (key === 'actor') return here;
    const found = actorPath(child, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

const isJson = (contentType: string) => /^application\/json\s*(;|$)/i.test(contentType);

/** A JSON body arrives as bytes (express.raw) and is decoded strictly: UTF-8, I-JSON, no duplicates. */
function jsonBody(contentType: string, body: unknown): unknown {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError(
      'unsupported_media_type',
      `the body must be UTF-8, not charset ${charset.slice(0, 40)}`,
    );
  }
  return Buffer.isBuffer(body) ? parseStrictJson(body) : body;
}

/** Bodies are read as bytes; JSON is parsed in the handler, after the permission check. */
function bodyParsers(spec: AnyRoute): RequestHandler[] {
  if (!spec.body) return [];
  return [rawBody(spec.bodyLimit ?? '1mb', spec.bodyTypes ?? ['application/json'])];
}

export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
