import { beforeAll, describe, expect, it } from 'vitest';
import { formatEvidenceNo, formatLocationCode } from '../../src/lib/codes';
import { destroyThroughLedger } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { makeItem, makeSeizure } from '../items/fixtures';
import { makeLabelCase, makeLocation } from './fixtures';

/**
 * Issue 14's "Bad input", item by item, on every label route (items PDF by GET and POST, ZPL,
 * location labels, barcodes, previews): each answer is problem+json with its stable code, and no
 * print event is written (the ledger head and the label_prints projection are unchanged).
 */
const t = makeTestApp();
const ALL_FORMATS = ['4x6', '4x2', '2x1', '62mm', 'a4-l7163', 'a4-l7160', 'letter-5160'];
const ZPL_FORMATS = ['4x6', '4x2', '2x1'];
const ghost = formatEvidenceNo(26, 9_999_301).compact;
const ghostLocation = formatLocationCode(9_999_301).compact;

let fx: Awaited<ReturnType<typeof makeLabelCase>>;
let good = '';
let gone = '';
let goneCase = '';
let emptyCase = '';
let location = '';
beforeAll(async () => {
  fx = await makeLabelCase(t);
  good = fx.items[0]?.evidenceNo as string;
  const c = await makeCase(t);
  const s = await makeSeizure(t, c.id);
  gone = (await makeItem(t, { caseId: c.id, seizureId: s.id })).evidenceNo;
  goneCase = c.id;
  const wh = await makeLocation(t, 'warehouse', `Refusals ${Math.random()}`);
  location = wh.code;
  const received = await t.http
    .post(`/api/v1/items/${gone}/events`)
    .set(auth(t.tokens.clerk))
    .send({ type: 'received', locationCode: wh.code });
  expect(received.status).toBe(201);
  destroyThroughLedger(t, gone);
  emptyCase = (await makeCase(t)).id;
});

type Call =
  | { get: string; query?: Record<string, string | number | boolean> }
  | { post: string; body: unknown };
interface Refusal {
  name: string;
  call: () => Call;
  status: number;
  code: string;
  /** What else the problem must say. */
  check?: (body: Record<string, unknown>) => void;
}

const pdf = (query: Record<string, string | number | boolean>): Call => ({ get: '/labels/items.pdf', query });
const post = (body: Record<string, unknown>): Call => ({ post: '/labels/items.pdf', body });
const postZpl = (body: Record<string, unknown>): Call => ({ post: '/labels/items.zpl', body });
const zpl = (query: Record<string, string | number | boolean>): Call => ({ get: '/labels/items.zpl', query });
const locations = (query: Record<string, string | number | boolean>): Call => ({
  get: '/labels/locations.pdf',
  query,
});
const listsFormats = (formats: string[]) => (b: Record<string, unknown>) =>
  expect(b.formats).toEqual(formats);
const refusals: Refusal[] = [
  // An unknown format, the valid ones listed.
  ...[
    ['items.pdf GET', () => pdf({ items: good, format: '3x5' }), ALL_FORMATS],
    ['items.pdf POST', () => post({ items: [good], format: '3x5' }), ALL_FORMATS],
    ['items.zpl', () => zpl({ items: good, format: '3x5' }), ZPL_FORMATS],
    ['items.zpl POST', () => postZpl({ items: [good], format: '62mm' }), ZPL_FORMATS],
    ['items.zpl with a PDF-only format', () => zpl({ items: good, format: '62mm' }), ZPL_FORMATS],
    ['items.zpl with a sheet', () => zpl({ items: good, format: 'a4-l7163' }), ZPL_FORMATS],
    ['locations.pdf', () => locations({ codes: location, format: '3x5' }), ALL_FORMATS],
    ['label.png', () => ({ get: `/items/${good}/label.png`, query: { format: 'a5' } }), ALL_FORMATS],
  ].map(
    ([where, call, formats]): Refusal => ({
      name: `unknown format: ${where as string}`,
      call: call as () => Call,
      status: 400,
      code: 'unknown_label_format',
      check: listsFormats(formats as string[]),
    }),
  ),
  // Unknown or disposed items, listed.
  ...(
    [
      ['items.pdf GET', (items: string[]) => pdf({ items: items.join(',') })],
      ['items.pdf POST', (items: string[]) => post({ items })],
      ['items.zpl', (items: string[]) => zpl({ items: items.join(',') })],
      ['items.zpl POST', (items: string[]) => postZpl({ items })],
    ] as const
  ).flatMap(([where, call]): Refusal[] => [
    {
      name: `unknown items: ${where}`,
      call: () => call([good, ghost]),
      status: 404,
      code: 'label_items_not_found',
      check: (b) => {
        expect(b.unknown).toEqual([ghost]);
        expect(b.detail).toMatch(/^1 of the selected evidence numbers is not registered \(first: /);
      },
    },
    {
      name: `disposed items: ${where}`,
      call: () => call([gone, good]),
      status: 409,
      code: 'label_items_disposed',
      check: (b) => {
        expect(b.disposed).toEqual([gone]);
        expect(b.detail).toMatch(/^1 of the selected items is disposed of \(first: EV/);
      },
    },
    {
      name: `skipMissing=true with nothing left: ${where}`,
      call: () => {
        const c = call([ghost, gone]);
        if ('body' in c) return { ...c, body: { ...(c.body as object), skipMissing: true } };
        return { ...c, query: { ...c.query, skipMissing: true } };
      },
      status: 400,
      code: 'empty_selection',
      check: (b) => expect(b.skipped).toEqual({ unknown: [ghost], disposed: [gone] }),
    },
  ]),
  {
    name: 'disposed items in a case: items.zpl',
    call: () => zpl({ caseId: goneCase }),
    status: 409,
    code: 'label_items_disposed',
    check: (b) =>
      expect(b.detail).toMatch(
        /^the case holds 1 disposed-of item \(first: .*send skipMissing=true to print the others$/,
      ),
  },
  // An empty selection.
  {
    name: 'nothing chosen: items.pdf GET',
    call: () => pdf({ format: '4x2' }),
    status: 400,
    code: 'empty_selection',
  },
  {
    name: 'items= empty: items.pdf GET',
    call: () => pdf({ items: ' , ' }),
    status: 400,
    code: 'empty_selection',
  },
  {
    name: 'items [] : items.pdf POST',
    call: () => post({ items: [] }),
    status: 400,
    code: 'empty_selection',
  },
  {
    name: 'a case with no items: items.pdf GET',
    call: () => pdf({ caseId: emptyCase }),
    status: 400,
    code: 'empty_selection',
  },
  { name: 'nothing chosen: items.zpl', call: () => zpl({}), status: 400, code: 'empty_selection' },
  {
    name: 'a case with no items: items.zpl',
    call: () => zpl({ caseId: emptyCase }),
    status: 400,
    code: 'empty_selection',
  },
  { name: 'nothing chosen: locations.pdf', call: () => locations({}), status: 400, code: 'empty_selection' },
  {
    name: 'codes= empty: locations.pdf',
    call: () => locations({ codes: ',' }),
    status: 400,
    code: 'empty_selection',
  },
  // More than 100,000 labels.
  {
    name: 'more than 100,000 labels: items.pdf POST (50,001 × 2 copies)',
    call: () =>
      post({
        items: Array.from({ length: 50_001 }, (_, i) => formatEvidenceNo(26, i + 1).compact),
        copies: 2,
      }),
    status: 400,
    code: 'too_many_labels',
    check: (b) => expect(b).toMatchObject({ labels: 100_002, max: 100_000 }),
  },
  // start= beyond the sheet.
  ...(
    [
      ['items.pdf GET', (q: Record<string, string | number>) => pdf({ items: good, ...q })],
      ['items.pdf POST', (q: Record<string, string | number>) => post({ items: [good], ...q })],
      ['locations.pdf', (q: Record<string, string | number>) => locations({ codes: location, ...q })],
    ] as const
  ).flatMap(([where, call]): Refusal[] => [
    {
      name: `start= beyond the sheet: ${where}`,
      call: () => call({ format: 'letter-5160', start: 31 }),
      status: 400,
      code: 'start_beyond_sheet',
      check: (b) => expect(b.perSheet).toBe(30),
    },
    {
      name: `start= far beyond the sheet: ${where}`,
      call: () => call({ format: 'a4-l7163', start: 5000 }),
      status: 400,
      code: 'start_beyond_sheet',
      check: (b) => expect(b.perSheet).toBe(14),
    },
    {
      name: `start= on a roll: ${where}`,
      call: () => call({ format: '4x6', start: 2 }),
      status: 400,
      code: 'start_beyond_sheet',
    },
    {
      name: `start=0: ${where}`,
      call: () => call({ format: 'a4-l7163', start: 0 }),
      status: 400,
      code: 'validation_failed',
    },
    { name: `copies=0: ${where}`, call: () => call({ copies: 0 }), status: 400, code: 'validation_failed' },
    { name: `copies=11: ${where}`, call: () => call({ copies: 11 }), status: 400, code: 'validation_failed' },
  ]),
  {
    name: 'copies=0: items.zpl',
    call: () => zpl({ items: good, copies: 0 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'copies=11: items.zpl',
    call: () => zpl({ items: good, copies: 11 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'start= on ZPL (rolls only)',
    call: () => zpl({ items: good, start: 2 }),
    status: 400,
    code: 'unknown_parameter',
  },
  {
    name: 'dpi=600: items.zpl',
    call: () => zpl({ items: good, dpi: 600 }),
    status: 400,
    code: 'validation_failed',
  },
  ...[post, postZpl].flatMap((body): Refusal[] => [
    {
      name: `a misspelt member, not printed without it: ${body === post ? 'items.pdf' : 'items.zpl'} POST`,
      call: () => body({ items: [good], formt: '2x1', copise: 3 }),
      status: 400,
      code: 'validation_failed',
      check: (b) => expect(JSON.stringify(b.errors)).toContain('formt'),
    },
    {
      name: `copies=0: ${body === post ? 'items.pdf' : 'items.zpl'} POST`,
      call: () => body({ items: [good], copies: 0 }),
      status: 400,
      code: 'validation_failed',
    },
  ]),
  {
    name: 'items [] : items.zpl POST',
    call: () => postZpl({ items: [] }),
    status: 400,
    code: 'empty_selection',
  },
  {
    name: 'dpi 600: items.zpl POST',
    call: () => postZpl({ items: [good], dpi: 600 }),
    status: 400,
    code: 'validation_failed',
  },
  // Barcodes and previews.
  ...(['svg', 'png'] as const).flatMap((ext): Refusal[] => [
    {
      name: `a bad symbology: barcode.${ext}`,
      call: () => ({ get: `/items/${good}/barcode.${ext}`, query: { symbology: 'ean13' } }),
      status: 400,
      code: 'validation_failed',
      check: (b) => expect(JSON.stringify(b)).toContain('datamatrix'),
    },
    {
      name: `an unknown item: barcode.${ext}`,
      call: () => ({ get: `/items/${ghost}/barcode.${ext}` }),
      status: 404,
      code: 'item_not_found',
    },
  ]),
  {
    name: 'a disposed item: label.png',
    call: () => ({ get: `/items/${gone}/label.png` }),
    status: 409,
    code: 'label_items_disposed',
    check: (b) => expect(b.detail).toMatch(/^EV-26-\d{7}-\d is destroyed: .*no preview$/),
  },
  // Numbers in plain digits only: 1e1 is not 10, 0b11 not 3.
  ...(
    [
      ['copies=1e1: items.pdf GET', () => pdf({ items: good, copies: '1e1' })],
      ['copies=0x2: items.zpl', () => zpl({ items: good, copies: '0x2' })],
      ['copies= empty: locations.pdf', () => locations({ codes: location, copies: '' })],
      ['start=0b11: items.pdf GET', () => pdf({ items: good, format: 'a4-l7163', start: '0b11' })],
      ['start=1.5: locations.pdf', () => locations({ codes: location, format: 'a4-l7163', start: '1.5' })],
    ] as const
  ).map(
    ([name, call]): Refusal => ({
      name,
      call,
      status: 400,
      code: 'validation_failed',
      check: (b) => expect(JSON.stringify(b.errors)).toContain('in digits'),
    }),
  ),
  {
    name: 'zplFont= not a printer font: items.zpl',
    call: () => zpl({ items: good, zplFont: 'garbage' }),
    status: 400,
    code: 'validation_failed',
    check: (b) => expect(JSON.stringify(b.errors)).toContain('such as E:TT0003M_.FNT'),
  },
  // Location labels: the codes themselves.
  {
    name: 'an unknown location: locations.pdf under=',
    call: () => locations({ under: ghostLocation }),
    status: 404,
    code: 'location_not_found',
  },
  {
    name: 'codes= and under= both: locations.pdf',
    call: () => locations({ codes: location, under: location }),
    status: 400,
    code: 'validation_failed',
  },
];

/** The call as the clerk; a 200 is read whole (ZPL as text, a PDF as bytes). */
const send = (call: Call) =>
  'post' in call
    ? t.http
        .post(`/api/v1${call.post}`)
        .set(auth(t.tokens.clerk))
        .send(call.body as object)
    : t.http
        .get(`/api/v1${call.get}`)
        .query(call.query ?? {})
        .set(auth(t.tokens.clerk))
        .buffer(true);

const printsCount = () =>
  (t.app.locals.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM label_prints').get() as { n: number }).n;

describe("issue 14's bad input on every label route: problem+json, a stable code, nothing written", () => {
  for (const r of refusals) {
    it(r.name, async () => {
      const call = r.call();
      const before = t.head();
      const prints = printsCount();
      const res = await send(call);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect({ status: res.status, code: res.body.code }).toEqual({ status: r.status, code: r.code });
      expect(res.body.detail).toEqual(expect.any(String));
      expect(res.headers['x-labels-job']).toBeUndefined();
      r.check?.(res.body);
      expect(t.head()).toBe(before);
      expect(printsCount()).toBe(prints);
    });
  }
});

describe('skipMissing=true prints without the unknown and disposed items, and says so in a header', () => {
  const calls: [string, () => Call][] = [
    ['items.pdf POST', () => post({ items: [ghost, good, gone], skipMissing: true })],
    ['items.zpl', () => zpl({ items: `${ghost},${good},${gone}`, skipMissing: true })],
    ['items.zpl POST', () => postZpl({ items: [ghost, good, gone], skipMissing: true, dpi: 300 })],
  ];
  for (const [where, make] of calls) {
    it(where, async () => {
      const call = make();
      const before = t.head();
      const res = await send(call);
      expect(res.status).toBe(200);
      expect(res.headers['x-labels-skipped']).toBe(`${ghost} unknown, ${gone} disposed`);
      expect(res.headers['x-labels-count']).toBe('1');
      expect(t.head()).toBe(before + 1);
      const event = t.app.locals.ctx.db.sqlite
        .prepare('SELECT data FROM events WHERE seq = ?')
        .get(t.head()) as { data: string };
      expect(JSON.parse(event.data)).toMatchObject({
        items: [good],
        skipped: { unknown: [ghost], disposed: [gone] },
      });
    });
  }
});

describe('POST /labels/items.zpl: a long list for a Zebra', () => {
  it('prints the list in its order, at the dpi asked for, as one job', async () => {
    const items = fx.items.map((i) => i.printed);
    const before = t.head();
    const res = await send(postZpl({ items, format: '2x1', copies: 3, dpi: 300 }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-labels-count']).toBe('9');
    const labels = res.text.split('^XZ').filter((l) => l.includes('^XA'));
    expect(labels.map((l) => /\^FD(EV\d{10})\^FS/.exec(l)?.[1])).toEqual(fx.items.map((i) => i.evidenceNo));
    // 2 in at 300 dpi; copies as ^PQ.
    for (const l of labels) expect(l).toMatch(/\^PW600\^LL300\^LH0,0\^PQ3,0,1,N/);
    expect(t.head()).toBe(before + 1);
  });
});

describe('HEAD on a label job checks it and makes none', () => {
  const heads: [string, () => Record<string, string | number | boolean>, string][] = [
    ['/labels/items.pdf', () => ({ caseId: fx.caseId, copies: 2 }), 'application/pdf'],
    ['/labels/items.zpl', () => ({ caseId: fx.caseId, copies: 2 }), 'text/plain; charset=utf-8'],
    ['/labels/locations.pdf', () => ({ codes: location, copies: 6 }), 'application/pdf'],
  ];
  for (const [path, query, type] of heads) {
    it(`${path}: the GET's headers, no print event, no job`, async () => {
      const before = t.head();
      const prints = printsCount();
      const res = await t.http.head(`/api/v1${path}`).query(query()).set(auth(t.tokens.clerk));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['x-labels-count']).toBe('6');
      expect(res.headers['x-labels-job']).toBeUndefined();
      expect(t.head()).toBe(before);
      expect(printsCount()).toBe(prints);
      // The same refusals as GET.
      const bad = await t.http
        .head(`/api/v1${path}`)
        .query({ ...query(), format: '3x5' })
        .set(auth(t.tokens.clerk));
      expect(bad.status).toBe(400);
      expect(t.head()).toBe(before);
    });
  }

  it('says what skipMissing=true would leave out', async () => {
    const res = await t.http
      .head('/api/v1/labels/items.pdf')
      .query({ items: `${good},${gone}`, skipMissing: true })
      .set(auth(t.tokens.clerk));
    expect(res.status).toBe(200);
    expect(res.headers['x-labels-skipped']).toBe(`${gone} disposed`);
    expect(res.headers['x-labels-count']).toBe('1');
  });
});
