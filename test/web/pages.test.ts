import { beforeAll, describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import { LANGS } from '../../src/web/i18n';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeItem, makeSeizure, postCsv } from '../items/fixtures';
import { type Agent, csrfOf, givePasswords, signIn } from './helpers';

const t = makeTestApp();
const where = { caseId: '', seizureId: '' };
let ev = '';
let shelf = '';
const agents: Record<string, Agent> = {};

beforeAll(async () => {
  await givePasswords(t, ['clerk', 'supervisor', 'prosecutor', 'auditor', 'admin']);
  const c = await makeCase(t);
  where.caseId = c.id;
  where.seizureId = (await makeSeizure(t, c.id)).id;
  ev = (await makeItem(t, where, { make: 'Bitmain', model: 'Antminer S19' })).evidenceNo;
  const wh = await t.http
    .post('/api/v1/locations')
    .set(auth(t.tokens.clerk))
    .send({ kind: 'warehouse', name: 'Склад №1' });
  shelf = (
    await t.http
      .post('/api/v1/locations')
      .set(auth(t.tokens.clerk))
      .send({ kind: 'shelf', name: 'Стеллаж Қ-1', parentCode: wh.body.code })
  ).body.code;
  await t.http
    .post(`/api/v1/items/${ev}/events`)
    .set(auth(t.tokens.clerk))
    .send({ type: 'received', locationCode: shelf });
  for (const role of ['clerk', 'prosecutor', 'admin']) agents[role] = (await signIn(t, `${role}1`)).agent;
});

/** Text that looks like a catalogue key left untranslated, e.g. `item.status`. */
const RAW_KEY =
  />[^<]*\b(?:nav|item|case|dash|scan|intake|status|category|event|error|table|loc|account|users|seizure|sort|role)\.[a-z][a-zA-Z_.-]*/;

describe('every main page, in every language', () => {
  const paths = () => [
    '/',
    '/cases',
    `/cases/${where.caseId}`,
    `/items/${ev}`,
    '/scan',
    '/intake',
    '/locations',
    `/locations/${shelf}`,
    '/account',
    '/disposals',
    '/audits',
    '/labels',
    `/labels?items=${ev}`,
  ];
  it.each(LANGS)('renders in %s with no untranslated key', async (lang) => {
    const agent = agents.clerk!;
    const csrf = await csrfOf(agent);
    const set = await agent.post('/account/language').type('form').send({ _csrf: csrf, lang, back: '/' });
    expect(set.status).toBe(303);
    for (const path of paths()) {
      const res = await agent.get(path).set('Accept', 'text/html');
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain(`<html lang="${lang}">`);
      const visible = res.text.replace(/<script type="application\/json"[^>]*>.*?<\/script>/gs, '');
      expect(RAW_KEY.exec(visible)?.[0] ?? null, `${lang} ${path}`).toBeNull();
    }
  });
});

describe('what each role sees', () => {
  it('a prosecutor sees no write action anywhere', async () => {
    const agent = agents.prosecutor!;
    const item = await agent.get(`/items/${ev}`).set('Accept', 'text/html');
    expect(item.text).not.toContain('data-event=');
    expect(item.text).toContain('id="no-actions"');
    const home = await agent.get('/').set('Accept', 'text/html');
    expect(home.text).not.toContain('href="/intake"');
    expect(home.text).not.toContain('href="/scan"');
    expect((await agent.get('/intake').set('Accept', 'text/html')).status).toBe(403);
  });

  it('a clerk gets the actions the item’s status allows, and no correction', async () => {
    const item = await agents.clerk!.get(`/items/${ev}`).set('Accept', 'text/html');
    for (const type of ['moved', 'checked_out', 'valued', 'note'])
      expect(item.text).toContain(`data-event="${type}"`);
    expect(item.text).not.toContain('data-event="received"');
    expect(item.text).not.toContain('data-event="correction"');
  });

  it('an unknown or mistyped evidence number is a page saying so, in the user’s language', async () => {
    const typo = await agents.admin!.get('/items/EV2600000015').set('Accept', 'text/html');
    expect(typo.status).toBe(400);
    expect(typo.text).toMatch(/check digit is wrong/);
    const unknown = formatEvidenceNo(26, 99_999).compact;
    expect((await agents.admin!.get(`/items/${unknown}`).set('Accept', 'text/html')).status).toBe(404);
  });

  it('the case page pages through items with filters', async () => {
    for (let n = 0; n < 3; n++) await makeItem(t, where, { category: 'psu', make: 'APW', model: `APW${n}` });
    const page = await agents
      .clerk!.get(`/cases/${where.caseId}?category=psu&sort=-registered`)
      .set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text.match(/<tr>\s*<td><a class="mono" href="\/items\//g)).toHaveLength(3);
    expect(page.text).toContain('APW2');
  });
});

describe('writes from the web app', () => {
  it('a double-clicked write with one Idempotency-Key happens once and answers twice alike', async () => {
    const agent = agents.clerk!;
    const csrf = await csrfOf(agent);
    const head = t.head();
    const send = () =>
      agent
        .post(`/api/v1/items/${ev}/events`)
        .set('X-CSRF-Token', csrf)
        .set('Idempotency-Key', 'note-key-0001')
        .send({ type: 'note', text: 'seal checked' });
    const [a, b] = await Promise.all([send(), send()]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(t.head()).toBe(head + 1);
    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(t.head()).toBe(head + 1);
    expectProblem(
      await agent
        .post('/api/v1/cases')
        .set('X-CSRF-Token', csrf)
        .set('Idempotency-Key', 'note-key-0001')
        .send({}),
      422,
      'idempotency_key_reused',
    );
  });

  it('a second tab acting on a stale item is refused with item_changed, nothing written', async () => {
    const agent = agents.clerk!;
    const csrf = await csrfOf(agent);
    const seen = (await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.clerk))).body.lastSeq as number;
    await t.http
      .post(`/api/v1/items/${ev}/events`)
      .set(auth(t.tokens.clerk))
      .send({ type: 'note', text: 'someone else' });
    const head = t.head();
    const res = await agent
      .post(`/api/v1/items/${ev}/events`)
      .set('X-CSRF-Token', csrf)
      .set('If-Match', `"${seen}"`)
      .send({ type: 'moved', locationCode: shelf });
    expectProblem(res, 412, 'item_changed');
    expect(t.head()).toBe(head);
    const fresh = await agent
      .post(`/api/v1/items/${ev}/events`)
      .set('X-CSRF-Token', csrf)
      .set('If-Match', `"${head}"`)
      .send({ type: 'note', text: 'now it is current' });
    expect(fresh.status).toBe(201);
  });

  it('a CSV dry run reports the bad line and writes nothing; the fixed file then imports', async () => {
    const head = t.head();
    const bad = 'category;make;model;serial\nasic_miner;Bitmain;S19;DRY-1\nminer;Bitmain;S19;DRY-2\n';
    const dry = await t.http
      .post(`/api/v1/items/import?caseId=${where.caseId}&seizureId=${where.seizureId}&dryRun=true`)
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(bad));
    expectProblem(dry, 400, 'import_rows_invalid');
    expect(dry.body.errors).toEqual([expect.objectContaining({ line: 3, column: 'category' })]);
    const good = bad.replace('miner;Bitmain;S19;DRY-2', 'asic_miner;Bitmain;S19;DRY-2');
    const ok = await t.http
      .post(`/api/v1/items/import?caseId=${where.caseId}&seizureId=${where.seizureId}&dryRun=true`)
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(good));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ count: 2, evidenceNos: [] });
    expect(t.head()).toBe(head);
    expect((await postCsv(t, where, good)).status).toBe(201);
    expect(t.head()).toBe(head + 2);
  });
});
