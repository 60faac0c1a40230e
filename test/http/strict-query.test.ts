import { describe, expect, it } from 'vitest';
import { routes } from '../../src/modules/routes';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { CSV_HEADER, csvRows, makeCaseWithSeizure } from '../items/fixtures';

/**
 * Query strings are strict: a misspelt filter must not be ignored (the answer would look filtered
 * and be everything), a single-valued parameter is given once, and percent-encoding is well formed.
 */

const t = makeTestApp();
const get = (url: string) => t.http.get(`/api/v1${url}`).set(auth(t.tokens.prosecutor));

describe('unknown query parameters', () => {
  it('GET /items?caseid= (a typo) is 400 unknown_parameter naming it and listing the accepted ones', async () => {
    const { caseId } = await makeCaseWithSeizure(t);
    const res = await get(`/items?caseid=${caseId}`);
    expectProblem(res, 400, 'unknown_parameter');
    expect(res.body.parameter).toBe('caseid');
    expect(res.body.accepted).toEqual(expect.arrayContaining(['caseId', 'q', 'limit', 'cursor']));
    expect(res.body.detail).toContain('did you mean "caseId"?');
    expect((await get(`/items?caseId=${caseId}`)).status).toBe(200);
  });

  it('a route without a query schema accepts no parameter at all', async () => {
    const res = await t.http.get('/api/v1/health?verbose=1');
    expectProblem(res, 400, 'unknown_parameter');
    expect(res.body.accepted).toEqual([]);
    expect(res.body.detail).toContain('takes no query parameters');
    expect((await t.http.get('/api/v1/health')).status).toBe(200);
  });

  it('refuses an unknown parameter on a write route and writes nothing', async () => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases?dryRun=true')
      .set(auth(t.tokens.clerk))
      .send({ number: 'Q-1/2022', title: 't', legalBasis: 'b', agency: 'a', openedOn: '2022-03-01' });
    expectProblem(res, 400, 'unknown_parameter');
    expect(t.head()).toBe(before);
  });

  it('checks every route: each refuses a parameter it does not declare', async () => {
    for (const route of routes) {
      const path = route.path.replace(/:[A-Za-z]+/g, 'x');
      const res = await t.http[route.method](`/api/v1${path}?zz_unknown=1`).set(auth(t.tokens.admin));
      // Permission still comes first: a role that may not use the route learns nothing about it.
      if (res.status === 403) continue;
      expect(res.body.code, `${route.method} ${route.path}`).toBe('unknown_parameter');
    }
  });
});

describe('repeated and malformed parameters', () => {
  it('refuses a single-valued parameter given twice with 400 repeated_parameter', async () => {
    const res = await get('/items?limit=1&limit=500');
    expectProblem(res, 400, 'repeated_parameter');
    expect(res.body.parameter).toBe('limit');
  });

  it('a limit that is not a whole number from 1 to 500 says so, never "received NaN"', async () => {
    const expected = 'a whole number from 1 to 500 in digits, e.g. 50';
    for (const [value, detail] of [
      ['abc', `query limit: "abc" is not ${expected}`],
      ['', `query limit: is empty: give ${expected}`],
      ['1e2', `query limit: "1e2" is not ${expected}`],
      ['-5', `query limit: "-5" is not ${expected}`],
      ['501', `query limit: "501" is not ${expected}`],
    ]) {
      const res = await get(`/items?limit=${value}`);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.detail, value).toBe(detail);
    }
    expect((await get('/items?limit=500')).status).toBe(200);
    expect((await get('/items')).status).toBe(200);
  });

  it('refuses malformed percent-encoding in the query with 400 invalid_percent_encoding', async () => {
    for (const q of ['q=%zz', 'q=%E2%82', 'q=100%', '%ZZ=1']) {
      const res = await get(`/items?${q}`);
      expectProblem(res, 400, 'invalid_percent_encoding');
    }
    const ok = await get('/items?q=100%25');
    expect(ok.status).toBe(200);
  });

  it('reads + as a space, as forms encode it', async () => {
    const res = await get('/items?q=S19+Pro');
    expect(res.status).toBe(200);
  });
});

describe('RFC 3339 offsets in a query string', () => {
  it('takes an unencoded + in occurredAt as the offset sign, not a space', async () => {
    const { caseId, seizureId } = await makeCaseWithSeizure(t);
    const csv = [CSV_HEADER, ...csvRows(1, 'PLUS')].join('\n');
    const res = await t.http
      .post(
        `/api/v1/items/import?caseId=${caseId}&seizureId=${seizureId}&occurredAt=2026-01-15T10:00:00+05:00`,
      )
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const row = t.app.locals.ctx.db.sqlite
      .prepare("SELECT occurred_at FROM events WHERE type = 'item_registered' ORDER BY seq DESC LIMIT 1")
      .get() as { occurred_at: string };
    expect(row.occurred_at).toBe('2026-01-15T10:00:00+05:00');
  });
});
