import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { makeItem, makeParty, makeShelf, nextWeek, postEvent, record } from './fixtures';

const t = makeTestApp();
const db = () => t.app.locals.ctx.db.sqlite;

const lastEvent = () =>
  db().prepare('SELECT * FROM events WHERE seq = ?').get(t.head()) as {
    type: string;
    entity_type: string;
    entity_id: string;
    actor: string;
    occurred_at: string;
    data: string;
  };

const itemRow = (ev: string) =>
  db().prepare('SELECT * FROM items WHERE evidence_no = ?').get(ev) as Record<string, unknown>;

/** Takes an item through to a terminal status with workflow events appended straight to the ledger. */
function destroy(ev: string) {
  t.app.locals.ctx.ledger.writeNow((tx) => {
    const base = { entityType: 'item', entityId: ev, actor: t.userIds.supervisor };
    tx.append({ ...base, type: 'item_disposal_authorised', data: { reference: 'Court order 2-117/2022' } });
    tx.append({ ...base, type: 'item_destroyed', data: { method: 'shredding', place: 'Ekibastuz' } });
  });
}

async function inStorage() {
  const ev = await makeItem(t);
  const shelf = await makeShelf(t);
  await record(t, ev, { type: 'received', locationCode: shelf.code });
  return { ev, shelf };
}

async function checkedOut() {
  const { ev, shelf } = await inStorage();
  const court = await makeParty(t);
  await record(t, ev, {
    type: 'checked_out',
    partyId: court.id,
    purpose: 'Court hearing',
    dueAt: nextWeek(),
  });
  return { ev, shelf, court };
}

describe('custody events accepted from the right state', () => {
  it('received: registered → in_storage at the location, the receiving clerk as custodian', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t);
    const before = t.head();
    const res = await postEvent(t, ev, {
      type: 'received',
      locationCode: shelf.printed.toLowerCase(),
      occurredAt: '2022-02-15T10:00:00+06:00',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      seq: before + 1,
      type: 'received',
      ledgerType: 'item_received',
      occurredAt: '2022-02-15T10:00:00+06:00',
      item: {
        evidenceNo: ev,
        status: 'in_storage',
        locationCode: shelf.code,
        custodianUserId: t.userIds.clerk,
      },
    });
    const e = lastEvent();
    expect(e).toMatchObject({
      type: 'item_received',
      entity_type: 'item',
      entity_id: ev,
      actor: t.userIds.clerk,
    });
    expect(JSON.parse(e.data)).toEqual({ locationCode: shelf.code });
  });

  it('accepts the printed form of the evidence number, any case', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t);
    const printed = `ev-${ev.slice(2, 4)}-${ev.slice(4, 11)}-${ev.slice(11)}`;
    const res = await postEvent(t, printed, { type: 'received', locationCode: shelf.code });
    expect(res.status).toBe(201);
    expect(res.body.item.evidenceNo).toBe(ev);
  });

  it('moved: stays in_storage at the new location, recording where from', async () => {
    const { ev, shelf } = await inStorage();
    const other = await makeShelf(t, 'Shelf Z');
    const r = await record(t, ev, { type: 'moved', locationCode: other.code, reason: 'consolidation' });
    expect(r.item).toMatchObject({ status: 'in_storage', locationCode: other.code });
    expect(JSON.parse(lastEvent().data)).toEqual({
      locationCode: other.code,
      fromLocationCode: shelf.code,
      reason: 'consolidation',
    });
  });

  it('transferred: by username or id to another user as custodian', async () => {
    const { ev } = await inStorage();
    const r = await record(t, ev, { type: 'transferred', custodian: 'supervisor1' });
    expect(r.item).toMatchObject({ status: 'in_storage', custodianUserId: t.userIds.supervisor });
    expect(JSON.parse(lastEvent().data)).toMatchObject({
      custodian: t.userIds.supervisor,
      fromCustodian: t.userIds.clerk,
    });
    const back = await record(t, ev, { type: 'transferred', custodian: t.userIds.clerk });
    expect(back.item).toMatchObject({ custodianUserId: t.userIds.clerk });
  });

  it('checked_out: in_storage → checked_out to a party, off the shelf, due time in UTC', async () => {
    const { ev } = await inStorage();
    const lab = await makeParty(t, { kind: 'forensic_lab', name: 'Сот сараптамасы орталығы' });
    const res = await postEvent(t, ev, {
      type: 'checked_out',
      partyId: lab.id,
      purpose: 'Examination of the hash boards',
      dueAt: '2099-04-01T18:00:00+05:00',
    });
    expect(res.status).toBe(201);
    expect(res.body.item).toMatchObject({
      status: 'checked_out',
      holderPartyId: lab.id,
      checkoutPurpose: 'Examination of the hash boards',
      dueAt: '2099-04-01T13:00:00.000Z',
      locationCode: null,
    });
  });

  it('returned: checked_out → in_storage at a location; a broken seal is replaced by the new one', async () => {
    const { ev, shelf, court } = await checkedOut();
    const r = await record(t, ev, {
      type: 'returned',
      locationCode: shelf.code,
      condition: 'good; one fan missing',
      seal: 'broken',
      newSealNo: 'KZ-FMA 9000001',
    });
    expect(r.item).toMatchObject({
      status: 'in_storage',
      locationCode: shelf.code,
      holderPartyId: null,
      dueAt: null,
      checkoutPurpose: null,
      sealNo: 'KZ-FMA 9000001',
      condition: 'good; one fan missing',
    });
    expect(JSON.parse(lastEvent().data)).toMatchObject({ fromPartyId: court.id, seal: 'broken' });
  });

  it('returned with the seal intact keeps the seal number', async () => {
    const { ev, shelf } = await checkedOut();
    const sealBefore = itemRow(ev).seal_no;
    const r = await record(t, ev, {
      type: 'returned',
      locationCode: shelf.code,
      condition: 'good',
      seal: 'intact',
    });
    expect(r.item).toMatchObject({ status: 'in_storage', sealNo: sealBefore });
  });

  it('seal_changed, examined, valued and note in storage and while checked out', async () => {
    for (const { ev } of [await inStorage(), await checkedOut()]) {
      const status = itemRow(ev).status;
      const seal = await record(t, ev, {
        type: 'seal_changed',
        newSealNo: 'KZ-NEW 1',
        reason: 'opened for photos',
      });
      expect(seal.item).toMatchObject({ status, sealNo: 'KZ-NEW 1' });
      expect(JSON.parse(lastEvent().data).previousSealNo).toMatch(/^KZ-FMA/);
      await record(t, ev, {
        type: 'examined',
        examiner: 'Ермеков Н.',
        findings: 'Hash boards intact, 3 chips burnt',
      });
      const valued = await record(t, ev, {
        type: 'valued',
        amountMinor: 1_250_000,
        currency: 'USD',
        method: 'market_comparison',
        appraiser: 'Ақсұңқар Бағалау LLP',
        asOf: '2022-03-01',
      });
      expect(valued.item).toMatchObject({
        status,
        valuation: { amountMinor: 1_250_000, currency: 'USD', asOf: '2022-03-01' },
      });
      const note = await record(t, ev, { type: 'note', text: 'Label reprinted' });
      expect(note.item.status).toBe(status);
    }
  });

  it('valued twice: the latest recorded valuation is the item’s value', async () => {
    const ev = await makeItem(t);
    const v = { type: 'valued', method: 'expert_appraisal', appraiser: 'A', currency: 'KZT' };
    await record(t, ev, { ...v, amountMinor: 300_000_00, asOf: '2021-11-01' });
    const r = await record(t, ev, { ...v, amountMinor: 90_000_00, asOf: '2022-11-01', currency: 'KZT' });
    expect(r.item).toMatchObject({
      status: 'registered',
      valuation: { amountMinor: 9_000_000, currency: 'KZT' },
    });
  });

  it('after a terminal disposition, a note and a correction are still accepted', async () => {
    const { ev } = await inStorage();
    destroy(ev);
    expect(itemRow(ev)).toMatchObject({ status: 'destroyed', location_code: null });
    const note = await record(t, ev, { type: 'note', text: 'Certificate filed' });
    expect(note.item.status).toBe('destroyed');
    const registered = db()
      .prepare("SELECT seq FROM events WHERE entity_id = ? AND type = 'item_registered'")
      .get(ev) as { seq: number };
    const corr = await record(
      t,
      ev,
      {
        type: 'correction',
        corrects: registered.seq,
        reason: 'serial misread',
        fields: { serialNumber: 'HTX-FIXED' },
      },
      'supervisor',
    );
    expect(corr.item.status).toBe('destroyed');
    expect(itemRow(ev).serial_number).toBe('HTX-FIXED');
  });
});

describe('corrections', () => {
  it('a supervisor corrects the latest move: the current location follows, the original stays', async () => {
    const { ev } = await inStorage();
    const wrong = await makeShelf(t, 'Shelf W');
    const right = await makeShelf(t, 'Shelf R');
    const moved = await record(t, ev, { type: 'moved', locationCode: wrong.code });
    const r = await record(
      t,
      ev,
      {
        type: 'correction',
        corrects: moved.seq,
        reason: 'scanned the wrong shelf label',
        fields: { locationCode: right.printed },
      },
      'supervisor',
    );
    expect(r.item).toMatchObject({ status: 'in_storage', locationCode: right.code });
    expect(JSON.parse(lastEvent().data)).toEqual({
      corrects: moved.seq,
      correctsType: 'item_moved',
      reason: 'scanned the wrong shelf label',
      fields: { locationCode: right.code },
      updatesCurrent: true,
    });
    const original = db().prepare('SELECT data FROM events WHERE seq = ?').get(moved.seq) as { data: string };
    expect(JSON.parse(original.data).locationCode).toBe(wrong.code);
  });

  it('a correction of a superseded move is recorded but leaves the current location', async () => {
    const { ev } = await inStorage();
    const a = await makeShelf(t, 'A');
    const b = await makeShelf(t, 'B');
    const c = await makeShelf(t, 'C');
    const first = await record(t, ev, { type: 'moved', locationCode: a.code });
    await record(t, ev, { type: 'moved', locationCode: b.code });
    const r = await record(
      t,
      ev,
      {
        type: 'correction',
        corrects: first.seq,
        reason: 'it went to C first',
        fields: { locationCode: c.code },
      },
      'supervisor',
    );
    expect(r.item.locationCode).toBe(b.code);
    expect(JSON.parse(lastEvent().data).updatesCurrent).toBe(false);
  });

  it('a correction of a valuation amount updates the item’s value', async () => {
    const ev = await makeItem(t);
    const v = await record(t, ev, {
      type: 'valued',
      amountMinor: 100,
      currency: 'USD',
      method: 'book_value',
      appraiser: 'X',
      asOf: '2022-01-01',
    });
    const r = await record(
      t,
      ev,
      { type: 'correction', corrects: v.seq, reason: 'typo', fields: { amountMinor: 1_000_000 } },
      'supervisor',
    );
    expect(r.item).toMatchObject({ valuation: { amountMinor: 1_000_000, currency: 'USD' } });
  });

  it.each([
    [
      'a seq of another item',
      'other',
      { reason: 'x', fields: { text: 'y' } },
      409,
      'correction_target_invalid',
    ],
    [
      'a seq that does not exist',
      'missing',
      { reason: 'x', fields: { text: 'y' } },
      409,
      'correction_target_invalid',
    ],
    ['a bad corrected value', 'own', { reason: 'x', fields: { amountMinor: 1.5 } }, 400, 'validation_failed'],
    [
      'a field the event does not have',
      'own',
      { reason: 'x', fields: { colour: 'red' } },
      400,
      'validation_failed',
    ],
    [
      'a bad currency in the corrected valuation',
      'own',
      { reason: 'x', fields: { currency: 'usd' } },
      400,
      'invalid_currency',
    ],
  ])('refuses a correction naming %s', async (_name, target, body, status, code) => {
    const ev = await makeItem(t);
    const other = await makeItem(t);
    const v = await record(t, ev, {
      type: 'valued',
      amountMinor: 1,
      currency: 'EUR',
      method: 'book_value',
      appraiser: 'X',
      asOf: '2022-01-01',
    });
    const otherSeq = (await record(t, other, { type: 'note', text: 'n' })).seq;
    const corrects = target === 'own' ? v.seq : target === 'other' ? otherSeq : 10_000_000;
    const before = t.head();
    const res = await postEvent(t, ev, { type: 'correction', corrects, ...body }, 'supervisor');
    expectProblem(res, status, code);
    expect(t.head()).toBe(before);
  });

  it('refuses a correction by a clerk (403) and writes nothing', async () => {
    const ev = await makeItem(t);
    const note = await record(t, ev, { type: 'note', text: 'teh typo' });
    const before = t.head();
    const res = await postEvent(t, ev, {
      type: 'correction',
      corrects: note.seq,
      reason: 'typo',
      fields: { text: 'the typo' },
    });
    expectProblem(res, 403, 'forbidden');
    expect(t.head()).toBe(before);
  });
});

describe('refusals write nothing', () => {
  async function expectRefused(ev: string, event: Record<string, unknown>, status: number, code: string) {
    const before = t.head();
    const res = await postEvent(t, ev, event);
    expectProblem(res, status, code);
    expect(t.head()).toBe(before);
    return res;
  }

  it('refuses moved while checked out, naming the status and the allowed types', async () => {
    const { ev, shelf } = await checkedOut();
    const res = await expectRefused(
      ev,
      { type: 'moved', locationCode: shelf.code },
      409,
      'invalid_transition',
    );
    expect(res.body).toMatchObject({ currentStatus: 'checked_out', eventType: 'moved', evidenceNo: ev });
    expect(res.body.detail).toMatch(/^A checked-out item cannot be moved; allowed: /);
    expect(res.body.allowedTypes).toEqual(expect.arrayContaining(['returned', 'note', 'correction']));
    expect(res.body.allowedTypes).not.toContain('moved');
  });

  it('refuses a second check-out', async () => {
    const { ev, court } = await checkedOut();
    await expectRefused(
      ev,
      { type: 'checked_out', partyId: court.id, purpose: 'again', dueAt: nextWeek() },
      409,
      'invalid_transition',
    );
  });

  it('refuses moving or checking out an item not yet received', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t);
    const moved = await expectRefused(
      ev,
      { type: 'moved', locationCode: shelf.code },
      409,
      'invalid_transition',
    );
    expect(moved.body.detail).toMatch(/^An item not yet received cannot be moved; /);
    await expectRefused(
      ev,
      { type: 'returned', locationCode: shelf.code, condition: 'ok', seal: 'intact' },
      409,
      'invalid_transition',
    );
  });

  it('refuses everything but note and correction after a terminal disposition', async () => {
    const { ev, shelf } = await inStorage();
    const court = await makeParty(t);
    destroy(ev);
    for (const event of [
      { type: 'moved', locationCode: shelf.code },
      { type: 'received', locationCode: shelf.code },
      { type: 'checked_out', partyId: court.id, purpose: 'x', dueAt: nextWeek() },
      { type: 'transferred', custodian: 'supervisor1' },
      { type: 'seal_changed', newSealNo: 'S', reason: 'r' },
      { type: 'examined', examiner: 'E', findings: 'F' },
      {
        type: 'valued',
        amountMinor: 1,
        currency: 'USD',
        method: 'book_value',
        appraiser: 'A',
        asOf: '2022-01-01',
      },
    ]) {
      const res = await expectRefused(ev, event, 409, 'invalid_transition');
      expect(res.body).toMatchObject({ currentStatus: 'destroyed', allowedTypes: ['note', 'correction'] });
    }
  });

  it.each([
    ['a lower-case currency', { currency: 'usd' }, 'invalid_currency'],
    ['an unknown currency', { currency: 'XYZ' }, 'invalid_currency'],
    ['a four-letter currency', { currency: 'USDT' }, 'invalid_currency'],
    ['a float amount', { amountMinor: 12.5 }, 'validation_failed'],
    ['an amount as a string', { amountMinor: '1250' }, 'validation_failed'],
    ['a negative amount', { amountMinor: -1 }, 'validation_failed'],
    ['an unknown method', { method: 'guess' }, 'validation_failed'],
  ])('refuses a valuation with %s', async (_name, patch, code) => {
    const ev = await makeItem(t);
    const base = {
      type: 'valued',
      amountMinor: 100,
      currency: 'USD',
      method: 'book_value',
      appraiser: 'A',
      asOf: '2022-01-01',
    };
    await expectRefused(ev, { ...base, ...patch }, 400, code);
  });

  it('refuses a due date in the past', async () => {
    const { ev } = await inStorage();
    const court = await makeParty(t);
    await expectRefused(
      ev,
      { type: 'checked_out', partyId: court.id, purpose: 'x', dueAt: '2022-01-01T00:00:00+05:00' },
      400,
      'due_in_past',
    );
  });

  it('refuses unknown locations, parties and users, and a disabled user', async () => {
    const { ev } = await inStorage();
    const unknownLocation = 'LC99999992';
    await expectRefused(ev, { type: 'moved', locationCode: unknownLocation }, 404, 'location_not_found');
    await expectRefused(
      ev,
      { type: 'checked_out', partyId: 'pty_nope', purpose: 'x', dueAt: nextWeek() },
      404,
      'party_not_found',
    );
    await expectRefused(ev, { type: 'transferred', custodian: 'nobody' }, 404, 'user_not_found');
    const off = await t.http
      .post('/api/v1/users')
      .set(auth(t.tokens.admin))
      .send({ username: 'gone1', role: 'clerk' });
    expect(off.status).toBe(201);
    const disabled = await t.http
      .post(`/api/v1/users/${off.body.id}/disable`)
      .set(auth(t.tokens.admin))
      .send({});
    expect(disabled.status).toBeLessThan(300);
    await expectRefused(ev, { type: 'transferred', custodian: 'gone1' }, 409, 'user_disabled');
  });

  it('refuses a location code with a wrong check digit', async () => {
    const { ev, shelf } = await inStorage();
    const wrong = `${shelf.code.slice(0, 9)}${(Number(shelf.code[9]) + 3) % 10}`;
    await expectRefused(ev, { type: 'moved', locationCode: wrong }, 400, 'invalid_check_digit');
  });

  it('refuses an evidence number with a wrong check digit, and an unknown one', async () => {
    const ev = await makeItem(t);
    const wrong = `${ev.slice(0, 11)}${(Number(ev[11]) + 1) % 10}`;
    await expectRefused(wrong, { type: 'note', text: 'x' }, 400, 'invalid_check_digit');
    await expectRefused('EV9999999990', { type: 'note', text: 'x' }, 404, 'item_not_found');
  });

  it('refuses an occurredAt in the future', async () => {
    const ev = await makeItem(t);
    await expectRefused(
      ev,
      { type: 'note', text: 'x', occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
      400,
      'occurred_in_future',
    );
  });

  it.each([
    ['an unknown type', { type: 'teleported' }],
    [
      'a broken seal without the new seal number',
      { type: 'returned', locationCode: 'LC00000013', condition: 'ok', seal: 'broken' },
    ],
    ['an unknown member', { type: 'note', text: 'x', colour: 'red' }],
    [
      'a dueAt without offset',
      { type: 'checked_out', partyId: 'p', purpose: 'x', dueAt: '2099-01-01T10:00:00' },
    ],
  ])('refuses %s with validation_failed', async (_name, event) => {
    const ev = await makeItem(t);
    await expectRefused(ev, event, 400, 'validation_failed');
  });

  it('refuses an actor in the body', async () => {
    const ev = await makeItem(t);
    await expectRefused(
      ev,
      { type: 'note', text: 'x', actor: t.userIds.supervisor },
      400,
      'actor_not_allowed',
    );
  });

  it('lets a prosecutor, an auditor and an admin post nothing', async () => {
    const ev = await makeItem(t);
    for (const role of ['prosecutor', 'auditor', 'admin'] as const) {
      const before = t.head();
      expectProblem(await postEvent(t, ev, { type: 'note', text: 'x' }, role), 403, 'forbidden');
      expect(t.head()).toBe(before);
    }
  });
});
