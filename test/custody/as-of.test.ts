import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { makeItem, postEvent, record } from './fixtures';

// "Today" for asOf is the date in Kazakhstan time (UTC+5), or the date occurredAt is written in
// when that is later. The clock is set to instants around midnight there (19:00 UTC).
const t = makeTestApp();

const valued = (asOf: string, extra: Record<string, unknown> = {}) => ({
  type: 'valued',
  amountMinor: 450_000,
  currency: 'USD',
  method: 'market_comparison',
  appraiser: 'A. Seitkali',
  asOf,
  ...extra,
});

async function refused(
  ev: string,
  body: Record<string, unknown>,
  today: string,
  role: 'clerk' | 'supervisor' = 'clerk',
) {
  const head = t.head();
  const res = await postEvent(t, ev, body, role);
  expectProblem(res, 400, 'as_of_in_future');
  expect(res.body.today).toBe(today);
  expect(res.body.detail).toContain(`is after today, ${today}`);
  expect(res.body.detail).toContain('Kazakhstan time (UTC+5)');
  expect(t.head()).toBe(head);
  return res;
}

describe('a valuation’s asOf may not be after today', () => {
  it('refuses year 0001 and dates after today, writing nothing; takes a date in range', async () => {
    const ev = await makeItem(t);
    const before = t.head();
    const old = await postEvent(t, ev, valued('0001-01-01'));
    expectProblem(old, 400, 'validation_failed');
    expect(old.body.errors[0].path).toBe('asOf');
    expectProblem(await postEvent(t, ev, valued('2099-01-01')), 400, 'as_of_in_future');
    const tomorrowButTwo = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expectProblem(await postEvent(t, ev, valued(tomorrowButTwo)), 400, 'as_of_in_future');
    expect(t.head()).toBe(before);
    await record(t, ev, valued('2022-03-01'));
    await record(t, ev, valued(new Date().toISOString().slice(0, 10)));
  });

  it('refuses tomorrow in UTC when it is not yet tomorrow in Kazakhstan (noon UTC)', async () => {
    const ev = await makeItem(t);
    t.setNow(new Date('2026-06-10T12:00:00Z')); // 17:00 in Almaty
    const res = await refused(ev, valued('2026-06-11'), '2026-06-10');
    expect(res.body.field).toBe('asOf');
    await record(t, ev, valued('2026-06-10'));
  });

  it('takes Kazakhstan’s today from its midnight, while the UTC date is still the day before', async () => {
    const ev = await makeItem(t);
    t.setNow(new Date('2026-06-10T18:59:59Z')); // 23:59:59 in Almaty
    await refused(ev, valued('2026-06-11'), '2026-06-10');
    t.setNow(new Date('2026-06-10T19:00:00Z')); // 00:00 on the 11th in Almaty
    await record(t, ev, valued('2026-06-11'));
    await refused(ev, valued('2026-06-12'), '2026-06-11');
  });

  it('a device still on UTC+6 just after its midnight: the date of its occurredAt counts', async () => {
    const ev = await makeItem(t);
    t.setNow(new Date('2026-06-10T18:30:00Z')); // 23:30 at UTC+5, 00:30 on the 11th at UTC+6
    await refused(ev, valued('2026-06-11'), '2026-06-10');
    await record(t, ev, valued('2026-06-11', { occurredAt: '2026-06-11T00:30:00+06:00' }));
    // A past occurredAt does not move today back.
    await record(t, ev, valued('2026-06-10', { occurredAt: '2026-06-11T00:30:00+06:00' }));
  });

  it('refuses a correction that moves asOf after today; takes one to today', async () => {
    const ev = await makeItem(t);
    t.setNow(new Date('2026-06-10T12:00:00Z'));
    const { seq } = await record(t, ev, valued('2026-06-01'));
    const fix = (asOf: string) => ({
      type: 'correction',
      corrects: seq,
      reason: 'typo in the date',
      fields: { asOf },
    });
    const res = await refused(ev, fix('2026-06-11'), '2026-06-10', 'supervisor');
    expect(res.body.field).toBe('fields.asOf');
    await record(t, ev, fix('2026-06-10'), 'supervisor');
    // A later correction of another member of that valuation does not trip over its (past) asOf.
    t.setNow(new Date('2026-07-01T12:00:00Z'));
    await record(
      t,
      ev,
      { type: 'correction', corrects: seq, reason: 'appraiser', fields: { appraiser: 'B. Nurlanov' } },
      'supervisor',
    );
  });
});
