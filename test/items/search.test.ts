import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { type ItemBody, makeCaseWithSeizure, makeItem, makeSeizure } from './fixtures';

const t = makeTestApp();

type Page = { items: ItemBody[]; nextCursor: string | null };
const search = async (query: string, token = t.tokens.prosecutor) => {
  const res = await t.http.get(`/api/v1/items?${query}`).set(auth(token));
  expect(res.status).toBe(200);
  return res.body as Page;
};
const numbers = (page: Page) => page.items.map((i) => i.evidenceNo);

let where: { caseId: string; seizureId: string };
let other: { caseId: string; seizureId: string };
let s19: ItemBody;
let m30: ItemBody;
let psu: ItemBody;
let kz: ItemBody;

beforeAll(async () => {
  where = await makeCaseWithSeizure(t);
  other = await makeCaseWithSeizure(t);
  s19 = await makeItem(t, where, {
    make: 'Bitmain',
    model: 'Antminer S19 Pro',
    serialNumber: 'HTX2104A0012345',
  });
  m30 = await makeItem(t, where, { make: 'MicroBT', model: 'Whatsminer M30S', serialNumber: 'M30S-77' });
  psu = await makeItem(t, where, { category: 'psu', make: 'Bitmain', model: 'APW12', serialNumber: 'APW-1' });
  kz = await makeItem(t, other, { make: 'Қазақ', model: 'Сборка «Алтын»', serialNumber: 'KZ-1' });
});

describe('GET /items: q', () => {
  it('finds an item by either form of its number, any case', async () => {
    for (const q of [s19.evidenceNo, s19.printed, s19.printed.toLowerCase()]) {
      expect(numbers(await search(`q=${encodeURIComponent(q)}`))).toEqual([s19.evidenceNo]);
    }
  });

  it('finds items by the start of their number, printed or compact', async () => {
    const all = [s19, m30, psu, kz].map((i) => i.evidenceNo);
    const common = s19.evidenceNo.slice(0, 6); // EV + year + 2 serial digits
    expect(numbers(await search(`q=${common}`))).toEqual(expect.arrayContaining(all));
    const printedPrefix = s19.printed.slice(0, 13); // EV-yy-000000x
    const byPrinted = numbers(await search(`q=${encodeURIComponent(printedPrefix)}`));
    expect(byPrinted).toContain(s19.evidenceNo);
    expect(byPrinted.every((n) => n.startsWith(printedPrefix.replace(/-/g, '')))).toBe(true);
  });

  it('refuses a whole number with a wrong check digit', async () => {
    const d = s19.evidenceNo;
    const res = await t.http
      .get(`/api/v1/items?q=${d.slice(0, 11)}${(Number(d[11]) + 1) % 10}`)
      .set(auth(t.tokens.clerk));
    expectProblem(res, 400, 'invalid_check_digit');
  });

  it('finds by serial number, exact or its start, and by make/model text', async () => {
    expect(numbers(await search('q=HTX2104A0012345'))).toEqual([s19.evidenceNo]);
    expect(numbers(await search('q=HTX2104'))).toEqual([s19.evidenceNo]);
    expect(numbers(await search('q=whatsminer'))).toEqual([m30.evidenceNo]);
    expect(numbers(await search(`q=${encodeURIComponent('Bitmain Antminer')}`))).toEqual([s19.evidenceNo]);
    expect(numbers(await search(`q=${encodeURIComponent('Алтын')}`))).toEqual([kz.evidenceNo]);
    expect(numbers(await search('q=100%25_'))).toEqual([]);
  });
});

describe('GET /items: filters', () => {
  it('filters by case, seizure and category', async () => {
    expect(numbers(await search(`caseId=${where.caseId}`))).toEqual([s19, m30, psu].map((i) => i.evidenceNo));
    expect(numbers(await search(`seizureId=${other.seizureId}`))).toEqual([kz.evidenceNo]);
    expect(numbers(await search(`caseId=${where.caseId}&category=psu`))).toEqual([psu.evidenceNo]);
    expect(numbers(await search(`caseId=${where.caseId}&q=bitmain&category=asic_miner`))).toEqual([
      s19.evidenceNo,
    ]);
  });

  it('refuses a bad category, status, flag or location code', async () => {
    for (const [q, code] of [
      ['category=toaster', 'validation_failed'],
      ['status=lost', 'validation_failed'],
      ['checkedOut=yes', 'validation_failed'],
      ['locationCode=LC00012341', 'invalid_check_digit'],
      ['locationCode=shelf', 'invalid_location_code'],
      ['cursor=garbage', 'invalid_cursor'],
    ] as const) {
      expectProblem(await t.http.get(`/api/v1/items?${q}`).set(auth(t.tokens.clerk)), 400, code);
    }
  });

  it('filters by status, location (with what is inside it), custodian, holder and checked out', async () => {
    const clerk = auth(t.tokens.clerk);
    const post = async (path: string, body: object) => {
      const res = await t.http.post(`/api/v1${path}`).set(clerk).send(body);
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const wh = await post('/locations', { kind: 'warehouse', name: `WH ${Date.now()}` });
    const room = await post('/locations', { kind: 'room', name: 'Room 1', parentCode: wh.code });
    const shelf = await post('/locations', { kind: 'shelf', name: 'Shelf A', parentCode: room.printed });
    const court = await post('/parties', { kind: 'court', name: 'Экибастузский городской суд' });
    const c = await makeCaseWithSeizure(t);
    const a = await makeItem(t, c);
    const b = await makeItem(t, c);
    const d = await makeItem(t, c);
    const e = await makeItem(t, c);
    await post(`/items/${a.evidenceNo}/events`, { type: 'received', locationCode: shelf.code });
    await post(`/items/${e.evidenceNo}/events`, { type: 'received', locationCode: room.printed });
    await post(`/items/${b.printed}/events`, { type: 'received', locationCode: room.code });
    const due = new Date(Date.now() + 86_400_000).toISOString();
    await post(`/items/${b.evidenceNo}/events`, {
      type: 'checked_out',
      partyId: court.id,
      purpose: 'Trial',
      dueAt: due,
    });

    expect(numbers(await search(`caseId=${c.caseId}&status=registered`))).toEqual([d.evidenceNo]);
    expect(numbers(await search(`locationCode=${shelf.printed}`))).toEqual([a.evidenceNo]);
    // a checked-out item is at no location of ours
    expect(numbers(await search(`locationCode=${wh.code.toLowerCase()}`))).toEqual([
      a.evidenceNo,
      e.evidenceNo,
    ]);
    expect(numbers(await search(`locationCode=${room.code}`))).toEqual([a.evidenceNo, e.evidenceNo]);
    expect(numbers(await search(`holder=${court.id}`))).toEqual([b.evidenceNo]);
    expect(numbers(await search(`caseId=${c.caseId}&checkedOut=true`))).toEqual([b.evidenceNo]);
    expect(numbers(await search(`caseId=${c.caseId}&checkedOut=false`))).toEqual([
      a.evidenceNo,
      d.evidenceNo,
      e.evidenceNo,
    ]);
    expect(numbers(await search(`caseId=${c.caseId}&overdue=true`))).toEqual([]);

    const shown = (await t.http.get(`/api/v1/items/${b.evidenceNo}`).set(clerk)).body;
    expect(shown).toMatchObject({
      status: 'checked_out',
      location: null,
      holder: { id: court.id, kind: 'court', name: 'Экибастузский городской суд' },
      checkout: { purpose: 'Trial', overdue: false },
    });
    const onShelf = (await t.http.get(`/api/v1/items/${a.evidenceNo}`).set(clerk)).body;
    expect(onShelf).toMatchObject({
      status: 'in_storage',
      location: { code: shelf.code, path: shelf.path },
      custodian: { id: t.userIds.clerk, displayName: 'Test clerk' },
    });
    const inRoom = (await t.http.get(`/api/v1/items/${e.evidenceNo}`).set(clerk)).body;
    expect(inRoom.location).toEqual({ code: room.code, printed: room.printed, path: room.path });
    const custodians = numbers(await search(`caseId=${c.caseId}&custodian=${t.userIds.clerk}`));
    expect(custodians).toEqual(expect.arrayContaining([a.evidenceNo, e.evidenceNo]));
    expect(custodians).not.toContain(d.evidenceNo);
    // A user is named by id or by username alike; neither is 404 user_not_found.
    expect(numbers(await search(`caseId=${c.caseId}&custodian=clerk1`))).toEqual(custodians);
    const nobody = await t.http.get('/api/v1/items?custodian=nobody.here').set(clerk);
    expectProblem(nobody, 404, 'user_not_found');
    // A holding party likewise: an unknown one is 404, not an empty list that reads as "nobody has it".
    expectProblem(
      await t.http.get('/api/v1/items?holder=pty_nosuchparty').set(clerk),
      404,
      'party_not_found',
    );
    expect(nobody.body.field).toBe('custodian');

    // two days later the court has not returned it
    t.setNow(new Date(Date.now() + 2 * 86_400_000));
    expect(numbers(await search(`caseId=${c.caseId}&overdue=true`))).toEqual([b.evidenceNo]);
    expect(numbers(await search(`caseId=${c.caseId}&overdue=false`))).toEqual([
      a.evidenceNo,
      d.evidenceNo,
      e.evidenceNo,
    ]);
    expect((await t.http.get(`/api/v1/items/${b.evidenceNo}`).set(clerk)).body.checkout.overdue).toBe(true);
    t.setNow(new Date());
  });
});

describe('GET /items: pages and order', () => {
  it('pages through every item once while others are being registered', async () => {
    const c = await makeCaseWithSeizure(t);
    const first = [];
    for (let i = 0; i < 7; i++) first.push((await makeItem(t, c)).evidenceNo);
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    do {
      const page: Page = await search(`caseId=${c.caseId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...numbers(page));
      cursor = page.nextCursor;
      if (added < 2) {
        first.push((await makeItem(t, c)).evidenceNo); // registered between pages
        added++;
      }
    } while (cursor);
    expect(seen).toEqual(first);
  });

  it('sorts by evidence number descending, and refuses a cursor of another order', async () => {
    const c = await makeCaseWithSeizure(t);
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await makeItem(t, c)).evidenceNo);
    const p1 = await search(`caseId=${c.caseId}&sort=-evidenceNo&limit=3`);
    const p2 = await search(`caseId=${c.caseId}&sort=-evidenceNo&limit=3&cursor=${p1.nextCursor}`);
    expect([...numbers(p1), ...numbers(p2)]).toEqual([...made].reverse());
    expect(p2.nextCursor).toBeNull();
    const mixed = await t.http
      .get(`/api/v1/items?caseId=${c.caseId}&sort=registered&cursor=${p1.nextCursor}`)
      .set(auth(t.tokens.clerk));
    expectProblem(mixed, 400, 'invalid_cursor');
  });

  it('sorts by latest value, unvalued last when descending', async () => {
    const c = await makeCaseWithSeizure(t);
    const [cheap, none, dear] = [await makeItem(t, c), await makeItem(t, c), await makeItem(t, c)];
    const value = (no: string, amountMinor: number) =>
      t.http.post(`/api/v1/items/${no}/events`).set(auth(t.tokens.clerk)).send({
        type: 'valued',
        amountMinor,
        currency: 'USD',
        method: 'market_comparison',
        appraiser: 'Expert',
        asOf: '2022-06-01',
      });
    expect((await value(cheap.evidenceNo, 100_00)).status).toBe(201);
    expect((await value(dear.evidenceNo, 2_500_00)).status).toBe(201);
    const desc: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(
        `caseId=${c.caseId}&sort=-value&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      desc.push(...numbers(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(desc).toEqual([dear.evidenceNo, cheap.evidenceNo, none.evidenceNo]);
    const shown = (await t.http.get(`/api/v1/items/${dear.evidenceNo}`).set(auth(t.tokens.clerk))).body;
    expect(shown.valuation).toEqual({ amountMinor: 2_500_00, currency: 'USD', asOf: '2022-06-01' });
  });
});

it('keeps a second seizure’s items out of the first seizure’s search', async () => {
  const s2 = await makeSeizure(t, where.caseId, { farmName: 'Other farm' });
  const item = await makeItem(t, { caseId: where.caseId, seizureId: s2.id });
  expect(numbers(await search(`seizureId=${s2.id}`))).toEqual([item.evidenceNo]);
});
