import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { formatEvidenceNo, formatLocationCode } from '../../src/lib/codes';
import { ERROR_STATUS } from '../../src/lib/errors';
import { routes } from '../../src/modules/routes';
import { PERMISSIONS, type Permission, ROLES, type Role } from '../../src/modules/users/roles';
import { makeItem } from '../custody/fixtures';
import { makeTestApp } from '../helpers/app';
import { caseBody, makeCase } from '../helpers/factories';

/**
 * Property: whatever is sent to any route (random JSON bodies, query strings, path params, roles),
 * the service never answers 5xx, every 4xx is problem+json with a known code, a 4xx writes nothing,
 * and a GET writes nothing but the service's own access log (ACCESS_EVENTS). The route list is read
 * at run time, so routes added later are fuzzed too.
 */

const RUNS_PER_ROUTE = 50;
/**
 * Bounded: a slow route (PDFs, exports) gives up runs rather than stretch the file past a minute.
 * A run is never cut short: one that starts in time runs to its end. (fast-check's
 * interruptAfterTimeLimit abandoned the run under way at the limit, but not its request: under load
 * an item report still being drawn then recorded its report_made during the next route's first
 * runs, and a 404 of GET /cases/:caseId/report.pdf "wrote to the ledger".)
 */
const TIME_PER_ROUTE = Math.max(1_000, 40_000 / routes.length);
const t = makeTestApp();
let base = '';
let known: string[] = [];

/**
 * What a GET may write, by route: the service's record that a report was made or labels were printed
 * (DESIGN.md, Roles), one event whose actor is the requester, and only when it answers 2xx. Any other
 * write by a GET, or any write at all by a 4xx, is a defect. A GET route that starts recording
 * something must be named here.
 */
const ACCESS_EVENTS: Record<string, string> = {
  'get /items/:evidenceNo/custody-report.pdf': 'report_made',
  'get /cases/:caseId/report.pdf': 'report_made',
  'get /disposals/:disposalId/certificate.pdf': 'report_made',
  'get /audits/:id/report.pdf': 'report_made',
  'get /labels/items.pdf': 'labels_printed',
  'get /labels/items.zpl': 'labels_printed',
  'get /labels/locations.pdf': 'labels_printed',
};

const appended = t.app.locals.ctx.db.sqlite.prepare<[number], { seq: number; type: string; actor: string }>(
  'SELECT seq, type, actor FROM events WHERE seq > ? ORDER BY seq',
);

beforeAll(async () => {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  // A few real identifiers, so some runs get past "not found" into validation and the state machine.
  const c = await makeCase(t);
  const item = await makeItem(t);
  known = [c.id, c.number, item, formatEvidenceNo(26, 1).compact, formatLocationCode(1).printed];
  // Bodies that are valid but for one I-JSON fault, on routes that record them: a fault the edge
  // lets through reaches the ledger here (a lone surrogate made canonicalisation throw: a 500).
  const note = (text: string) => `{"type":"note","text":"${text}"}`;
  const noteBytes = (bad: number[]) =>
    Buffer.concat([Buffer.from('{"type":"note","text":"Caf'), Buffer.from(bad), Buffer.from('"}')]);
  const events = `/items/${item}/events`;
  seeds.set('post /items/:evidenceNo/events', [
    [events, { bytes: Buffer.from(note('\\ud800')), mustRefuse: true }],
    [events, { bytes: Buffer.from('{"type":"checked_out","type":"note","text":"x"}'), mustRefuse: true }],
    [events, { bytes: noteBytes([0xe9]), mustRefuse: true }],
    [events, { bytes: Buffer.from(note('\\u0000 \\ufffe\\uffff')), mustRefuse: false }],
  ]);
  seeds.set('post /cases', [
    ['/cases', { bytes: Buffer.from(JSON.stringify(caseBody({ title: 'Farm \ud800' }))), mustRefuse: true }],
  ]);
});

/** Per route ("post /cases"): [path, body] runs tried before the random ones. */
const seeds = new Map<string, [string, HostileBody][]>();

/** Property names and literal/enum values found in a zod schema, to aim random bodies and queries. */
function vocabulary(schema: unknown, depth = 0, out = { keys: new Set<string>(), words: new Set<string>() }) {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  if (!def || depth > 6) return out;
  switch (def.type) {
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        out.keys.add(k);
        vocabulary(v, depth + 1, out);
      }
      break;
    case 'union':
      for (const o of def.options as unknown[]) vocabulary(o, depth + 1, out);
      break;
    case 'literal':
      for (const v of def.values as unknown[]) if (typeof v === 'string') out.words.add(v);
      break;
    case 'enum':
      for (const v of Object.values(def.entries as Record<string, unknown>))
        if (typeof v === 'string') out.words.add(v);
      break;
    case 'pipe':
      vocabulary(def.in, depth + 1, out);
      break;
    case 'array':
      vocabulary(def.element, depth + 1, out);
      break;
    default:
      if ('innerType' in def) vocabulary(def.innerType, depth + 1, out);
  }
  return out;
}

const hostile = fc.constantFrom(
  '%',
  '2026-01-15T10:00:00+05:00',
  'cdy_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  '%zz',
  '%00',
  '..',
  '%2F..%2F',
  '%E2%82',
  "'; DROP TABLE events; --",
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '-1',
  '1e309',
  'null',
  'EV-26-0000001-0',
);

function valueArb(words: string[]) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 2, arbitrary: words.length ? fc.constantFrom(...words) : fc.string() },
    { weight: 1, arbitrary: fc.constantFrom(...known, '2026-01-15T10:00:00+05:00', '2026-01-15', 0, -1) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

function bodyArb(schema: ZodType | undefined) {
  const v = vocabulary(schema);
  const keys = [...v.keys];
  const words = [...v.words];
  const aimed = keys.length
    ? fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), valueArb(words), {
        maxKeys: keys.length + 2,
      })
    : fc.dictionary(fc.string({ maxLength: 8 }), valueArb(words), { maxKeys: 4 });
  return fc.oneof(
    { weight: 4, arbitrary: aimed },
    { weight: 1, arbitrary: fc.array(aimed, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: hostileJsonArb(keys, words) },
  );
}

/** Raw JSON bytes, and whether I-JSON forbids them (so that no route may answer 2xx to them). */
interface HostileBody {
  bytes: Buffer;
  mustRefuse: boolean;
}

const isHostile = (b: unknown): b is HostileBody =>
  typeof b === 'object' && b !== null && Buffer.isBuffer((b as HostileBody).bytes);

/** Inside a JSON string: lone surrogates (as escapes) must be refused; NUL, U+FFFE/U+FFFF are text. */
const LONE_SURROGATES = ['\\ud800', '\\udbff', '\\udfff', '\\ud83d\\u0041'];
const ODD_BUT_VALID = ['\\u0000', '\\ufffe', '\\uffff', '\ufffe\uffff'];
/** Byte sequences that are not UTF-8: a stray byte, an overlong '/', an encoded surrogate, a cut sequence. */
const BAD_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]];
const ONE_MB = `"text":"${'x'.repeat(1_000_000)}"`;

/**
 * JSON text as bytes with one hostile member among aimed ones: a lone surrogate, NUL or a
 * noncharacter in a string, a member named twice, bytes that are not UTF-8, or a 1 MB string.
 */
function hostileJsonArb(keys: string[], words: string[]) {
  const key = fc.constantFrom(...keys, 'text', 'type');
  const json = (v: unknown) => JSON.stringify(v) ?? 'null';
  const member = fc.tuple(key, valueArb(words)).map(([k, v]) => Buffer.from(`${json(k)}:${json(v)}`));
  const inString = (texts: string[], mustRefuse: boolean) =>
    fc
      .tuple(key, fc.constantFrom(...texts))
      .map(([k, t]) => ({ bytes: Buffer.from(`${json(k)}:"a${t}b"`), mustRefuse }));
  const odd = fc.oneof(
    { weight: 3, arbitrary: inString(LONE_SURROGATES, true) },
    { weight: 2, arbitrary: inString(ODD_BUT_VALID, false) },
    {
      weight: 3,
      arbitrary: fc.tuple(key, valueArb(words), valueArb(words)).map(([k, a, b]) => ({
        bytes: Buffer.from(`${json(k)}:${json(a)},${json(k)}:${json(b)}`),
        mustRefuse: true,
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(key, fc.constantFrom(...BAD_UTF8)).map(([k, bad]) => ({
        bytes: Buffer.concat([Buffer.from(`${json(k)}:"a`), Buffer.from(bad), Buffer.from('b"')]),
        mustRefuse: true,
      })),
    },
    { weight: 1, arbitrary: fc.constant({ bytes: Buffer.from(ONE_MB), mustRefuse: false }) },
  );
  return fc
    .tuple(fc.array(member, { maxLength: 4 }), odd, fc.nat())
    .map(([members, bad, at]): HostileBody => hostileObject(members, bad, at));
}

/** `{ …members }` with the hostile one spliced in at `at`, as bytes. */
function hostileObject(members: Buffer[], bad: HostileBody, at: number): HostileBody {
  const all = [...members];
  all.splice(at % (members.length + 1), 0, bad.bytes);
  const parts = all.flatMap((m, i) => (i > 0 ? [Buffer.from(','), m] : [m]));
  return { bytes: Buffer.concat([Buffer.from('{'), ...parts, Buffer.from('}')]), mustRefuse: bad.mustRefuse };
}

function queryArb(schema: ZodType | undefined) {
  const v = vocabulary(schema);
  const own = [...v.keys];
  // Mostly the route's own names (to reach validation), sometimes a stranger's or a random one.
  const name = fc.oneof(
    { weight: own.length ? 6 : 0, arbitrary: own.length ? fc.constantFrom(...own) : fc.constant('limit') },
    { weight: 1, arbitrary: fc.constantFrom('limit', 'cursor', 'caseid', 'token', '__proto__') },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const value = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(...[...v.words, ...known, '0', '501', 'abc', '', '2026-01-15T10:00:00+05:00']),
    fc.integer({ min: -5, max: 1000 }).map(String),
  );
  const pairs = fc.array(fc.tuple(name, value), { maxLength: 4 });
  const rawName = own[0] ?? 'q';
  return fc
    .tuple(pairs, fc.option(hostile, { nil: undefined }))
    .map(([ps, raw]) =>
      [
        ...ps.map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(val)}`),
        ...(raw ? [`${rawName}=${raw}`] : []),
      ].join('&'),
    );
}

const paramArb = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).map(encodeURIComponent),
  },
  { weight: 1, arbitrary: hostile },
  { weight: 1, arbitrary: fc.constant(null).chain(() => fc.constantFrom(...known).map(encodeURIComponent)) },
);

/** Mostly a role the route permits (to get past auth into validation), sometimes any other. */
function tokenArb(permission: string) {
  const permitted: readonly Role[] =
    permission === 'public' ? ROLES : (PERMISSIONS[permission as Permission] ?? ROLES);
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...permitted).map((r) => t.tokens[r]) },
    { weight: 1, arbitrary: fc.constantFrom(...ROLES).map((r) => t.tokens[r]) },
    { weight: 1, arbitrary: fc.constantFrom(null, 'garbage', `cdy_${'x'.repeat(43)}`) },
  );
}

function pathArb(path: string) {
  const names = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  if (names.length === 0) return fc.constant(path);
  return fc
    .array(paramArb, { minLength: names.length, maxLength: names.length })
    .map((values) => names.reduce((p, name, i) => p.replace(`:${name}`, values[i]!), path));
}

describe('fuzz: no input gets a 5xx, every 4xx is a problem and writes nothing', () => {
  for (const route of routes) {
    it(`${route.method.toUpperCase()} ${route.path}`, async () => {
      const types = route.bodyTypes ?? ['application/json'];
      let deadline = 0; // set by the first run: generating it may take a while on a loaded machine
      await fc.assert(
        fc.asyncProperty(
          pathArb(route.path),
          queryArb(route.query),
          tokenArb(route.permission),
          bodyArb(route.body),
          fc.constantFrom(...types, 'application/json', 'text/plain'),
          async (path, query, token, body, contentType) => {
            const url = `/api/v1${path}${query ? `?${query}` : ''}`;
            // The route's time is up: the remaining runs pass untried (see TIME_PER_ROUTE).
            deadline ||= Date.now() + TIME_PER_ROUTE;
            if (Date.now() > deadline) return;
            const before = t.head();
            let req = request(base)[route.method](url).set('Accept', '*/*');
            if (token) req = req.set('Authorization', `Bearer ${token}`);
            if (route.method !== 'get') {
              const bytes = isHostile(body)
                ? body.bytes
                : Buffer.from(
                    contentType === 'application/json' || typeof body !== 'string'
                      ? JSON.stringify(body)
                      : body,
                  );
              req = req
                .set('Content-Type', contentType)
                .serialize((b) => b)
                .send(bytes);
            }
            const res = await req.buffer(true).parse((r, cb) => {
              const chunks: Buffer[] = [];
              r.on('data', (c: Buffer) => chunks.push(c));
              r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
            });
            const what = `${route.method.toUpperCase()} ${url} → ${res.status} ${String(res.body).slice(0, 300)}`;
            expect(res.status, what).toBeLessThan(500);
            if (route.body && isHostile(body) && body.mustRefuse && contentType === 'application/json')
              expect(res.status, `${what}: a body that is not I-JSON was accepted`).toBeGreaterThanOrEqual(
                400,
              );
            if (res.status >= 400) {
              expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
              const problem = JSON.parse(res.body as string) as {
                code: keyof typeof ERROR_STATUS;
                status: number;
              };
              expect(ERROR_STATUS[problem.code], what).toBe(res.status);
              expect(problem.status, what).toBe(res.status);
            }
            // The request is over, and no other is open: what it wrote is what the ledger holds since.
            const written = appended.all(before);
            const access = ACCESS_EVENTS[`${route.method} ${route.path}`];
            const requester = ROLES.find((r) => t.tokens[r] === token);
            const allowed =
              route.method !== 'get'
                ? res.status < 400 // a POST that succeeds records its facts; a refusal records none
                : access !== undefined &&
                  res.status < 300 &&
                  written.length === 1 &&
                  written[0]!.type === access &&
                  requester !== undefined &&
                  written[0]!.actor === t.userIds[requester];
            if (written.length > 0)
              expect(allowed, `${what} wrote to the ledger: ${JSON.stringify(written)}`).toBe(true);
          },
        ),
        {
          numRuns: RUNS_PER_ROUTE,
          examples: (seeds.get(`${route.method} ${route.path}`) ?? []).map(
            ([path, body]) =>
              [path, '', t.tokens.clerk, body, 'application/json'] as [
                string,
                string,
                string | null,
                HostileBody,
                string,
              ],
          ),
        },
      );
    });
  }
});
