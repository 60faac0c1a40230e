import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rolesSection, rolesTable } from '../../scripts/roles-table';
import { routes } from '../../src/modules/routes';
import { PERMISSIONS, type Permission, ROLES } from '../../src/modules/users/roles';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

/**
 * The whole matrix of routes × roles, read from `routes` and PERMISSIONS at run time: a role the
 * permission does not name gets 403 forbidden (and nothing is written); a role it names is never
 * refused for who it is; public routes answer without a token, the others want one.
 */
const t = makeTestApp();

/** A request to `route` with placeholder path params and an empty body of the type it accepts. */
function call(route: (typeof routes)[number], token: string | null) {
  const path = `/api/v1${route.path.replace(/:([A-Za-z0-9_]+)/g, 'matrix-$1')}`;
  let req = t.http[route.method](path);
  if (token) req = req.set(auth(token));
  if (route.method !== 'get') {
    const type = route.bodyTypes?.[0] ?? 'application/json';
    req = req.set('Content-Type', type).send(type === 'application/json' ? '{}' : '');
  }
  return req;
}

const name = (route: (typeof routes)[number]) => `${route.method.toUpperCase()} ${route.path}`;

describe('routes × roles', () => {
  it('every route names a known permission', () => {
    for (const route of routes) {
      expect(route.permission === 'public' || route.permission in PERMISSIONS, name(route)).toBe(true);
    }
  });

  for (const route of routes) {
    describe(name(route), () => {
      if (route.permission === 'public') {
        it('answers without a token', async () => {
          const res = await call(route, null);
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(400);
        });
        return;
      }
      const allowed: readonly string[] = PERMISSIONS[route.permission as Permission];

      it('wants a token: 401 unauthenticated without one', async () => {
        const before = t.head();
        expectProblem(await call(route, null), 401, 'unauthenticated');
        expect(t.head()).toBe(before);
      });

      for (const role of ROLES) {
        if (allowed.includes(role)) {
          it(`lets a ${role} through (never 401/403)`, async () => {
            const res = await call(route, t.tokens[role]);
            expect([401, 403], `${role}: ${res.status} ${JSON.stringify(res.body)}`).not.toContain(
              res.status,
            );
            expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          });
        } else {
          it(`refuses a ${role} with 403 forbidden, writing nothing`, async () => {
            const before = t.head();
            const res = await call(route, t.tokens[role]);
            expectProblem(res, 403, 'forbidden');
            expect(res.body).toMatchObject({ role, requires: route.permission });
            expect(t.head()).toBe(before);
          });
        }
      }
    });
  }
});

describe('README roles table', () => {
  it('is exactly the table generated from PERMISSIONS (npx tsx scripts/roles-table.ts --write)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(rolesSection());
  });

  it('has one row per permission and one column per role', () => {
    const lines = rolesTable().trim().split('\n');
    expect(lines).toHaveLength(2 + Object.keys(PERMISSIONS).length);
    for (const line of lines) expect(line.split('|').length).toBe(ROLES.length + 4);
  });
});
