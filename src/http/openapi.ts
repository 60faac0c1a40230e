import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ERROR_STATUS } from '../lib/errors';
import { z } from '../lib/zod';
import { PERMISSIONS } from '../modules/users/roles';
import { VERSION } from '../version';
import { type AnyRoute, openApiPath } from './route';

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
    if (r.params) request.params = r.params;
    if (r.query) request.query = r.query;
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
    const roles =
      r.permission === 'public'
        ? 'anyone, no token'
        : PERMISSIONS[r.permission as keyof typeof PERMISSIONS].join(', ');
    registry.registerPath({
      method: r.method,
      path: `/api/v1${openApiPath(r.path)}`,
      tags: r.tags,
      summary: r.summary,
      description: `${r.description ? `${r.description}\n\n` : ''}Roles: ${roles}.${r.errors ? ` Problem codes: ${r.errors.join(', ')}.` : ''}`,
      security: r.permission === 'public' ? [] : [{ [bearer.name]: [] }],
      request,
      responses: {
        [ok.status]: {
          description: ok.description,
          ...(ok.schema
            ? { content: { [ok.contentType ?? 'application/json']: { schema: ok.schema } } }
            : {}),
        },
        ...(r.body || r.query || r.params ? { 400: problem('The request is not valid') } : {}),
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
