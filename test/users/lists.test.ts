import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();
const admin = () => auth(t.tokens.admin);

/** Follows nextCursor from the first page to the last; returns each page's ids. */
async function pages(path: string, limit: number): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string | number> = cursor ? { limit, cursor } : { limit };
    const res = await t.http.get(path).query(query).set(admin());
    expect(res.status).toBe(200);
    out.push((res.body.items as { id: string }[]).map((i) => i.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

describe('GET /users pages with limit and cursor', () => {
  it('walks every user once, in creation order', async () => {
    const all = Object.values(t.userIds);
    const walked = await pages('/api/v1/users', 2);
    expect(walked.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(walked.flat()).toEqual(all);
  });

  it('refuses a cursor it did not give out and a limit out of range', async () => {
    expectProblem(await t.http.get('/api/v1/users?cursor=bogus').set(admin()), 400, 'invalid_cursor');
    expectProblem(await t.http.get('/api/v1/users?limit=0').set(admin()), 400, 'validation_failed');
    expectProblem(await t.http.get('/api/v1/users?limit=501').set(admin()), 400, 'validation_failed');
  });
});

describe('GET /users/{id}/tokens pages with limit and cursor', () => {
  it('walks every token once, oldest first, for a user named by id or username', async () => {
    const issued: string[] = [
      (await t.http.get(`/api/v1/users/${t.userIds.auditor}/tokens`).set(admin())).body.items[0].id,
    ];
    for (let i = 0; i < 4; i++) {
      const res = await t.http.post(`/api/v1/users/${t.userIds.auditor}/tokens`).set(admin());
      issued.push(res.body.tokenId);
    }
    const byId = await pages(`/api/v1/users/${t.userIds.auditor}/tokens`, 2);
    expect(byId.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(byId.flat()).toEqual(issued);
    expect((await pages('/api/v1/users/auditor1/tokens', 3)).flat()).toEqual(issued);
  });
});
