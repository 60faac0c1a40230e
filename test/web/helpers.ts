import request from 'supertest';
import { hashPassword, setPassword } from '../../src/modules/users/passwords';
import type { Role } from '../../src/modules/users/roles';
import type { TestApp } from '../helpers/app';

export const PASSWORD = 'correct horse battery';

let hashed: Promise<string> | null = null;

/** Gives each test user (`clerk1`, `supervisor1`, …) a web password (hashed once per file). */
export async function givePasswords(t: TestApp, roles: Role[]) {
  hashed ??= hashPassword(PASSWORD);
  const hash = await hashed;
  const { ledger } = t.app.locals.ctx;
  await ledger.write((tx) => {
    for (const role of roles) setPassword(tx, { userId: t.userIds[role], hash, reason: 'initial' }, 'system');
  });
}

export type Agent = ReturnType<typeof request.agent>;

/** The sign-in form's hidden CSRF token (and its cookie, kept by the agent). */
export async function signInToken(agent: Agent, lang = 'en'): Promise<string> {
  const page = await agent.get(`/signin?lang=${lang}`).set('Accept', 'text/html');
  const m = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!m) throw new Error('no CSRF token on the sign-in page');
  return m[1]!;
}

export async function signIn(t: TestApp, username: string, password = PASSWORD, lang = 'en') {
  const agent = request.agent(t.app);
  const token = await signInToken(agent, lang);
  const res = await agent
    .post('/signin')
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: token, username, password, next: '/', lang });
  return { agent, res };
}

/** The session's CSRF token, from any page's meta tag. */
export async function csrfOf(agent: Agent): Promise<string> {
  const page = await agent.get('/account').set('Accept', 'text/html');
  const m = /name="csrf-token" content="([^"]+)"/.exec(page.text);
  if (!m) throw new Error(`no CSRF meta on /account (${page.status})`);
  return m[1]!;
}

export function eventsOfType(t: TestApp, type: string): { actor: string; data: string; entity_id: string }[] {
  const { db } = t.app.locals.ctx;
  return db.sqlite
    .prepare('SELECT actor, data, entity_id FROM events WHERE type = ? ORDER BY seq')
    .all(type) as {
    actor: string;
    data: string;
    entity_id: string;
  }[];
}
