import { describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/http/route';
import { routes } from '../../src/modules/routes';
import { makeTestApp } from '../helpers/app';

const t = makeTestApp();

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }>; securitySchemes: object };
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document, served without a token', async () => {
    const res = await t.http.get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.body as OpenApi;
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it('lists every route with its method, summary and security', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json')).body as OpenApi;
    for (const route of routes) {
      const what = `${route.method.toUpperCase()} ${route.path}`;
      const op = doc.paths[`/api/v1${openApiPath(route.path)}`]?.[route.method];
      expect(op, `${what} is missing from the OpenAPI document`).toBeDefined();
      expect(op!.summary, what).toBe(route.summary);
      if (route.permission === 'public') expect(op!.security, what).toEqual([]);
      else expect(op!.security, what).toEqual([{ bearer: [] }]);
      expect(Object.keys(op!.responses), what).toContain(String(route.response.status));
    }
    const documented = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(documented).toBe(routes.length);
  });

  it('has the Problem schema, used for error answers, and bearer security', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json')).body as OpenApi;
    expect(doc.components.schemas.Problem?.properties).toMatchObject({
      type: expect.anything(),
      title: expect.anything(),
      status: expect.anything(),
      detail: expect.anything(),
      code: expect.anything(),
    });
    expect(doc.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' } });
    const cases = doc.paths['/api/v1/cases']!.post!;
    expect(cases.responses['403']!.content!['application/problem+json']!.schema!.$ref).toBe(
      '#/components/schemas/Problem',
    );
  });
});

describe('GET /docs', () => {
  it('serves an HTML page whose scripts and styles are all local', async () => {
    const res = await t.http.get('/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const refs = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(refs).toContain('/docs/assets/swagger-ui.css');
    expect(res.text).not.toMatch(/https?:\/\//);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/docs\//);
      const asset = await t.http.get(ref);
      expect(asset.status, ref).toBe(200);
    }
  });

  it('serves the Swagger UI bundle as JavaScript', async () => {
    const res = await t.http.get('/docs/assets/swagger-ui-bundle.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text.length).toBeGreaterThan(100_000);
  });

  it('points the page at the API document', async () => {
    const init = await t.http.get('/docs/init.js');
    expect(init.text).toContain('/api/v1/openapi.json');
  });

  it('serves the web app at / (sign-in first) and the docs at /docs', async () => {
    expect((await t.http.get('/')).headers.location).toBe('/signin?required=1&next=%2F');
    const bare = await t.http.get('/docs');
    expect([200, 301, 302]).toContain(bare.status);
  });
});
