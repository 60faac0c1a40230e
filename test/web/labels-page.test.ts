import { beforeAll, describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import { printedEvidenceNo } from '../../src/modules/labels/labels.select';
import { destroyThroughLedger } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { makeCaseWithSeizure, makeItem } from '../items/fixtures';
import { type Agent, csrfOf, givePasswords, signIn } from './helpers';

const t = makeTestApp();
let where = { caseId: '', seizureId: '' };
const evs: string[] = [];
let gone = '';
let clerk: Agent;

beforeAll(async () => {
  await givePasswords(t, ['clerk']);
  where = await makeCaseWithSeizure(t);
  for (let n = 0; n < 3; n++) evs.push((await makeItem(t, where)).evidenceNo);
  gone = evs[1]!;
  const wh = await t.http
    .post('/api/v1/locations')
    .set(auth(t.tokens.clerk))
    .send({ kind: 'warehouse', name: 'Склад' });
  await t.http
    .post(`/api/v1/items/${gone}/events`)
    .set(auth(t.tokens.clerk))
    .send({ type: 'received', locationCode: wh.body.code });
  destroyThroughLedger(t, gone);
  clerk = (await signIn(t, 'clerk1')).agent;
});

async function labelsPage(query: string, lang: 'ru' | 'kk' | 'en' = 'en') {
  const csrf = await csrfOf(clerk);
  await clerk.post('/account/language').type('form').send({ _csrf: csrf, lang, back: '/' });
  const res = await clerk.get(`/labels?${query}`).set('Accept', 'text/html');
  expect(res.status).toBe(200);
  const pdf = /id="labels-pdf" href="([^"]+)"/.exec(res.text)?.[1]?.replaceAll('&amp;', '&') ?? null;
  return { text: res.text, pdf };
}

describe('GET /labels for a case that has had a disposal', () => {
  it('links a PDF of the printable items, which downloads, and names the disposed one on the page', async () => {
    const { text, pdf } = await labelsPage(`caseId=${where.caseId}`);
    expect(text).toContain('id="labels-left-out"');
    expect(text).toContain(
      `disposed of — destroyed, sold, released or transferred (1): ${printedEvidenceNo(gone)}`,
    );
    expect(text).toContain('Items to print: 2.');
    expect(text).not.toContain(`/items/${gone}/label.png`);
    expect(pdf).toContain('skipMissing=true');
    const res = await clerk.get(pdf!).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-labels-skipped']).toBe(`${gone} disposed`);
  });

  it('says it in Russian and Kazakh too', async () => {
    expect((await labelsPage(`caseId=${where.caseId}`, 'ru')).text).toContain(
      `выбыли — уничтожены, реализованы, возвращены или переданы (1): ${printedEvidenceNo(gone)}`,
    );
    expect((await labelsPage(`seizureId=${where.seizureId}`, 'kk')).text).toContain(
      `шығарылған — жойылған, сатылған, қайтарылған немесе берілген (1): ${printedEvidenceNo(gone)}`,
    );
  });
});

describe('GET /labels for a typed list', () => {
  it('names the mistyped, unknown and disposed numbers and links only the printable ones', async () => {
    const unknown = formatEvidenceNo(26, 99_999).compact;
    const typo = `${evs[0]!.slice(0, -1)}${(Number(evs[0]!.slice(-1)) + 1) % 10}`;
    const { text, pdf } = await labelsPage(`items=${[evs[0], gone, unknown, typo, evs[2]].join('%2C')}`);
    expect(text).toContain(`mistyped — not an evidence number or a wrong check digit (1): ${typo}`);
    expect(text).toContain(`not registered (1): ${printedEvidenceNo(unknown)}`);
    expect(text).toContain(
      `disposed of — destroyed, sold, released or transferred (1): ${printedEvidenceNo(gone)}`,
    );
    expect(text).not.toMatch(/application\/problem|skipMissing=true to print/);
    const items = new URL(pdf!, 'http://x').searchParams.get('items');
    expect(items).toBe(`${evs[0]},${evs[2]}`);
    expect(text.match(/class="label-preview"/g)).toHaveLength(2);
  });

  it('with nothing printable says so in the user’s language and offers no download', async () => {
    const { text, pdf } = await labelsPage(`items=${gone}`, 'ru');
    expect(pdf).toBeNull();
    expect(text).toContain('Печатать нечего');
    expect(text).toContain(
      `выбыли — уничтожены, реализованы, возвращены или переданы (1): ${printedEvidenceNo(gone)}`,
    );
  });

  it('an unknown case is a message on the page, not a raw problem', async () => {
    const { text, pdf } = await labelsPage('caseId=case_nosuchcase0000', 'kk');
    expect(pdf).toBeNull();
    expect(text).toContain('id="labels-problem"');
  });
});

describe('GET /labels: location labels', () => {
  it('walks from the warehouses, a page at a time, down to one subtree, and offers its PDF', async () => {
    const codes: string[] = [];
    for (let n = 0; n < 101; n++) {
      const res = await t.http
        .post('/api/v1/locations')
        .set(auth(t.tokens.clerk))
        .send({ kind: 'warehouse', name: `Склад ${n}` });
      codes.push(res.body.code);
    }
    const room = await t.http
      .post('/api/v1/locations')
      .set(auth(t.tokens.clerk))
      .send({ kind: 'room', name: 'Комната 1', parentCode: codes[100] });
    const first = (await labelsPage('')).text;
    expect(first).not.toContain('action="/api/v1/labels/locations.pdf"');
    expect(first).not.toContain('Склад 100<');
    const next = /href="(\/labels\?atCursor=[^"#]+)/.exec(first)?.[1];
    expect(next).toBeTruthy();
    expect((await clerk.get(next!).set('Accept', 'text/html')).text).toContain(`?at=${codes[100]}#`);
    const opened = (await labelsPage(`at=${codes[100]}`)).text;
    expect(opened).toContain(`name="under" value="${codes[100]}"`);
    expect(opened).toContain(`?at=${room.body.code}#`);
    const inRoom = (await labelsPage(`at=${room.body.code}`)).text;
    expect(inRoom).toContain(`name="under" value="${room.body.code}"`);
    expect(inRoom).toContain('Склад 100</a> › ');
  });
});
