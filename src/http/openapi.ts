import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ERROR_STATUS } from '../lib/errors';
import { z } from '../lib/zod';
import { PERMISSIONS } from '../modules/users/roles';
import { VERSION } from '../version';
import { IDEMPOTENCY_KEY } from '../web/idempotency';
import { type AnyRoute, answersWithBodyEtag, honoursIdempotencyKey, openApiPath } from './route';

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    requestId: z.string().optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem', { description: 'RFC 9457 problem details; `code` is stable.' });

const IdempotencyKey = z.string().regex(IDEMPOTENCY_KEY).optional().openapi({
  description:
    'Makes this write happen once: a request with the same key (per user, kept a day) waits for the first and gets its successful answer again, marked `Idempotent-Replayed: true`, without writing. The same key with another method, path or body is refused with 422 `idempotency_key_reused`; a malformed key is 400 `validation_failed`. Refusals are not kept: a retry runs again.',
  example: 'scan-7f3c9a21',
});

const IfMatch = z.string().optional().openapi({
  description:
    'The item as the client last saw it: its `lastSeq` as an entity tag, e.g. `"42"` (or `*`, any item). When the item has had an event since, the write is refused with 412 `item_changed` (with the item’s `lastSeq`, `status`, `locationCode`) and nothing is written. Not RFC 9110 If-Match syntax (e.g. `42` without quotes) is 400 `invalid_if_match`. The weak ETag of GET /items/{evidenceNo} never matches (If-Match compares strongly).',
  example: '"42"',
});

const BODY_ETAG = {
  description:
    'A weak entity tag of the body: send it back in If-None-Match and an unchanged answer is 304 Not Modified, without a body.',
  schema: { type: 'string' as const },
};

/** What a route's request headers and answers gain from the middlewares the route list puts on it. */
function protocolOf(r: AnyRoute) {
  const idempotent = honoursIdempotencyKey(r);
  const ifMatch = r.ifMatch === 'item';
  const headers: Record<string, z.ZodType> = {};
  if (idempotent) headers['Idempotency-Key'] = IdempotencyKey;
  if (ifMatch) headers['If-Match'] = IfMatch;
  const answerHeaders: Record<string, { description: string; schema: { type: 'string' } }> = {};
  for (const [name, description] of Object.entries(r.response.headers ?? {}))
    answerHeaders[name] = { description, schema: { type: 'string' } };
  if (answersWithBodyEtag(r)) answerHeaders.ETag = BODY_ETAG;
  if (idempotent)
    answerHeaders['Idempotent-Replayed'] = {
      description: '`true` when this is the kept answer of an earlier request with the same Idempotency-Key',
      schema: { type: 'string' },
    };
  const codes = [
    ...(ifMatch ? ['invalid_if_match', 'item_changed'] : []),
    ...(idempotent ? ['idempotency_key_reused'] : []),
  ];
  return { idempotent, ifMatch, headers, answerHeaders, codes };
}

/** The OpenAPI 3.1 document, generated from the routes' own zod schemas. */
export function buildOpenApi(routes: readonly AnyRoute[]) {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', Problem);
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: Problem } },
  });
  for (const r of routes) {
    const request: RouteConfig['request'] = {};
    const protocol = protocolOf(r);
    if (r.params) request.params = r.params;
    if (r.query) request.query = r.query;
    if (Object.keys(protocol.headers).length > 0) request.headers = z.object(protocol.headers);
    if (r.body) {
      const types = r.bodyTypes ?? ['application/json'];
      request.body = {
        required: true,
        content: Object.fromEntries(
          types.map((t) => [t, { schema: t === 'application/json' ? r.body : z.string() }]),
        ),
      };
    }
    const ok = r.response;
    const codes = [...(r.errors ?? []), ...protocol.codes];
    const roles =
      r.permission === 'public'
        ? 'anyone, no token'
        : PERMISSIONS[r.permission as keyof typeof PERMISSIONS].join(', ');
    registry.registerPath({
      method: r.method,
      path: `/api/v1${openApiPath(r.path)}`,
      tags: r.tags,
      summary: r.summary,
      description: `${r.description ? `${r.description}\n\n` : ''}Roles: ${roles}.${codes.length > 0 ? ` Problem codes: ${codes.join(', ')}.` : ''}`,
      security: r.permission === 'public' ? [] : [{ [bearer.name]: [] }],
      request,
      responses: {
        [ok.status]: {
          description: ok.description,
          ...(Object.keys(protocol.answerHeaders).length > 0 ? { headers: protocol.answerHeaders } : {}),
          ...(ok.schema
            ? { content: { [ok.contentType ?? 'application/json']: { schema: ok.schema } } }
            : {}),
        },
        ...(r.body || r.query || r.params || protocol.ifMatch || protocol.idempotent
          ? { 400: problem('The request is not valid') }
          : {}),
        ...(protocol.ifMatch
          ? { 412: problem('item_changed: the item has had an event since If-Match') }
          : {}),
        ...(protocol.idempotent
          ? { 422: problem('idempotency_key_reused: the Idempotency-Key was used for another request') }
          : {}),
        ...(r.permission === 'public'
          ? {}
          : { 401: problem('No valid token'), 403: problem('The role may not do this') }),
        default: problem('An error'),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Custody Ledger API',
      version: VERSION,
      description:
        'Chain of custody for seized equipment over an append-only, hash-chained ledger. Every write is a ledger event; errors are RFC 9457 problem+json with a stable `code`.',
    },
    servers: [{ url: '/' }],
  });
}
