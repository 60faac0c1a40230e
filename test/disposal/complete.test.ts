import { describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import { makeShelf, postEvent } from '../custody/fixtures';
import { PNG_BYTES, uploadDocument } from '../documents/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { act, approved, completion, makeUser, proposed, scan, stockedItems, WITNESSES } from './fixtures';

const t = makeTestApp();
const supervisor2 = makeUser(t, 'supervisor', 'supervisor2');
const clerk2 = makeUser(t, 'clerk', 'clerk2');

const item = async (ev: string) => (await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.clerk))).body;

describe('POST /disposals/:id/items (scans at the site)', () => {
  it('records each item by its label, in either number form, and says how many remain', async () => {
    const { evidenceNos } = await stockedItems(t, 3);
    const id = await approved(t, evidenceNos);
    const printed = formatEvidenceNo(
      Number(evidenceNos[1]!.slice(2, 4)),
      Number(evidenceNos[1]!.slice(4, 11)),
    ).printed;
    const first = await scan(t, id, evidenceNos[0]!.toLowerCase());
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      evidenceNo: evidenceNos[0],
      make: 'Bitmain',
      model: 'Antminer S19 Pro',
      scanned: 1,
      remaining: 2,
    });
    const second = await scan(t, id, printed);
    expect(second.body).toMatchObject({ evidenceNo: evidenceNos[1], scanned: 2, remaining: 1 });
  });

  it('answers a malformed code, an item not in the batch and a duplicate clearly, writing nothing', async () => {
    const { evidenceNos } = await stockedItems(t, 2);
    const other = await stockedItems(t, 1);
    const id = await approved(t, evidenceNos);
    await scan(t, id, evidenceNos[0]!);
    const before = t.head();
    expectProblem(await scan(t, id, 'EV-26-0000001-1'), 400, 'invalid_check_digit');
    expectProblem(await scan(t, id, 'LC00000013'), 400, 'invalid_evidence_number');
    expectProblem(await scan(t, id, '%%garbage'), 400, 'invalid_evidence_number');
    const stranger = await scan(t, id, other.evidenceNos[0]!);
    expectProblem(stranger, 409, 'item_not_in_disposal');
    expect(stranger.body).toMatchObject({ evidenceNo: other.evidenceNos[0], known: true });
    const unknown = await scan(t, id, formatEvidenceNo(26, 9_999_998).compact);
    expectProblem(unknown, 409, 'item_not_in_disposal');
    expect(unknown.body.known).toBe(false);
    const twice = await scan(t, id, evidenceNos[0]!);
    expectProblem(twice, 409, 'duplicate_scan');
    expect(twice.body).toMatchObject({ evidenceNo: evidenceNos[0], scannedSeq: expect.any(Number) });
    expect(t.head()).toBe(before);
  });

  it('refuses scans before approval', async () => {
    const { evidenceNos } = await stockedItems(t, 1);
    const d = await proposed(t, { items: evidenceNos });
    const before = t.head();
    expectProblem(await scan(t, d.id, evidenceNos[0]!), 409, 'disposal_not_approved');
    expect(t.head()).toBe(before);
  });
});

describe('POST /disposals/:id/complete', () => {
  it('refuses completion before approval, and by the proposer', async () => {
    const { evidenceNos } = await stockedItems(t, 2);
    const d = await proposed(t, { items: [evidenceNos[0]] });
    const before = t.head();
    expectProblem(await act(t, d.id, 'complete', completion()), 409, 'disposal_not_approved');
    const own = await proposed(t, { items: [evidenceNos[1]] }, t.tokens.supervisor);
    await act(t, own.id, 'approve', {}, supervisor2.token);
    await scan(t, own.id, evidenceNos[1]!);
    const after = t.head();
    expectProblem(await act(t, own.id, 'complete', completion()), 403, 'same_person');
    expect(t.head()).toBe(after);
    expect(after).toBe(before + 1 + 2 + 1);
  });

  it.each([
    ['fewer than two witnesses', [WITNESSES[0]], 400, 'too_few_witnesses'],
    [
      'a user witness twice',
      [{ user: 'auditor1' }, { user: 'auditor1' }, WITNESSES[1]],
      400,
      'duplicate_witness',
    ],
    [
      'an outside witness twice (spelled with other case and spaces)',
      [
        WITNESSES[1],
        { name: ' әлібек  СЕЙІТОВ', title: 'Inspector', agency: 'prosecutor’s office of pavlodar region' },
      ],
      400,
      'duplicate_witness',
    ],
    [
      'no witness from outside the property unit',
      [{ user: 'supervisor2' }, { user: 'clerk2' }],
      400,
      'no_outside_witness',
    ],
    [
      'a witness from the chain of custody',
      [{ user: 'clerk1' }, WITNESSES[1]],
      409,
      'witness_in_chain_of_custody',
    ],
    ['an unknown user as witness', [{ user: 'nobody' }, WITNESSES[1]], 404, 'user_not_found'],
  ])('refuses %s and writes nothing', async (_what, witnesses, status, code) => {
    const { evidenceNos } = await stockedItems(t, 2);
    const id = await approved(t, evidenceNos);
    await scan(t, id, evidenceNos[0]!);
    const before = t.head();
    const res = await act(t, id, 'complete', completion({ witnesses }));
    expectProblem(res, status as number, code as string);
    expect(t.head()).toBe(before);
    expect((await item(evidenceNos[0]!)).status).toBe('disposal_authorised');
  });

  it('names the item and witness of the chain of custody (a transfer makes a custodian too)', async () => {
    const { evidenceNos } = await stockedItems(t, 2);
    await postEvent(t, evidenceNos[1]!, { type: 'transferred', custodian: 'clerk2' });
    const id = await approved(t, evidenceNos);
    await scan(t, id, evidenceNos[0]!);
    const res = await act(t, id, 'complete', completion({ witnesses: [{ user: 'clerk2' }, ...WITNESSES] }));
    expectProblem(res, 409, 'witness_in_chain_of_custody');
    expect(res.body.witnesses).toEqual([
      { index: 0, userId: clerk2.id, name: 'Test clerk2', evidenceNo: evidenceNos[1] },
    ]);
  });

  it('refuses a completion with nothing scanned, and details that do not fit the disposition', async () => {
    const { evidenceNos } = await stockedItems(t, 1);
    const id = await approved(t, evidenceNos);
    const before = t.head();
    expectProblem(await act(t, id, 'complete', completion()), 409, 'nothing_scanned');
    await scan(t, id, evidenceNos[0]!);
    const bad = await act(
      t,
      id,
      'complete',
      completion({ owner: { name: 'ТОО «Қуат»', identityDocument: 'BIN 123' } }),
    );
    expectProblem(bad, 400, 'validation_failed');
    expect(t.head()).toBe(before + 1);
  });

  it('destroys the scanned items, turns the unscanned into discrepancies, and then items take only notes', async () => {
    const { evidenceNos, shelf } = await stockedItems(t, 3);
    const [a, b, gone] = evidenceNos as [string, string, string];
    const id = await approved(t, evidenceNos);
    await scan(t, id, a);
    await scan(t, id, b);
    const photo = await uploadDocument(t, PNG_BYTES, 'image/png', 'kind=destruction_photo');
    const before = t.head();
    const res = await act(t, id, 'complete', completion({ documents: [photo.sha256] }), supervisor2.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'completed',
      certificateNo: expect.stringMatching(/^DC-\d{4}-\d{5}$/),
      completedBy: { id: supervisor2.id },
      counts: { items: 3, scanned: 2, missing: 1, openDiscrepancies: 1 },
      completion: {
        place: 'Ekibastuz, industrial zone 4, MetallService LLP yard',
        method: 'crushing',
        contractor: 'MetallService LLP (licence 02-114)',
        documents: [photo.sha256],
        disposed: 2,
        missing: [gone],
        witnesses: [
          { kind: 'user', userId: t.userIds.auditor, role: 'auditor', name: 'Test auditor' },
          { kind: 'outside', name: WITNESSES[1]!.name },
        ],
      },
    });
    expect(t.head()).toBe(before + 1 + 3);
    expect((await item(a)).status).toBe('destroyed');
    expect((await item(a)).location).toBeNull();
    expect((await item(gone)).status).toBe('missing');
    const history = await t.http.get(`/api/v1/items/${a}/history`).set(auth(t.tokens.clerk));
    expect(history.body.events.at(-1)).toMatchObject({
      type: 'destroyed',
      data: {
        disposalId: id,
        certificateNo: res.body.certificateNo,
        method: 'crushing',
        witnesses: expect.any(Array),
      },
    });
    const refused = await postEvent(t, a, { type: 'moved', locationCode: shelf.code });
    expectProblem(refused, 409, 'invalid_transition');
    expect(refused.body.allowedTypes).toEqual(['note', 'correction']);
    expect((await postEvent(t, a, { type: 'note', text: 'certificate filed' })).status).toBe(201);
    expectProblem(
      await act(t, id, 'complete', completion(), supervisor2.token),
      409,
      'disposal_not_approved',
    );
    expectProblem(await scan(t, id, gone), 409, 'disposal_not_approved');
  });

  it('records sales with buyer and proceeds, and releases with the owner’s identity document', async () => {
    const { evidenceNos } = await stockedItems(t, 2);
    const sale = await approved(t, [evidenceNos[0]!], { disposition: 'sell' });
    await t.http
      .post(`/api/v1/disposals/${sale}/items`)
      .set(auth(t.tokens.clerk))
      .send({ code: evidenceNos[0], proceedsMinor: 120_000_00 });
    expectProblem(await act(t, sale, 'complete', completion()), 400, 'validation_failed');
    const sold = await act(
      t,
      sale,
      'complete',
      completion({
        method: 'public auction',
        sale: { buyer: 'ТОО «Энергия»', proceeds: { amountMinor: 120_000_00, currency: 'KZT' } },
      }),
    );
    expect(sold.status).toBe(200);
    const h1 = await t.http.get(`/api/v1/items/${evidenceNos[0]}/history`).set(auth(t.tokens.clerk));
    expect(h1.body.events.at(-1)).toMatchObject({
      type: 'sold',
      data: { buyer: 'ТОО «Энергия»', proceedsMinor: 120_000_00, currency: 'KZT' },
    });

    const release = await approved(t, [evidenceNos[1]!], { disposition: 'release_to_owner' });
    await scan(t, release, evidenceNos[1]!);
    const released = await act(
      t,
      release,
      'complete',
      completion({
        method: 'handed over',
        owner: { name: 'Серик Жаксыбеков', identityDocument: 'ID card 043512987' },
      }),
    );
    expect(released.status).toBe(200);
    expect((await item(evidenceNos[1]!)).status).toBe('released');
  });
});

describe('missing_at_disposal discrepancies', () => {
  it('a supervisor resolves each one: found (back on a shelf) or written off', async () => {
    const { evidenceNos } = await stockedItems(t, 3);
    const id = await approved(t, evidenceNos);
    await scan(t, id, evidenceNos[0]!);
    await act(t, id, 'complete', completion());
    const queue = await t.http
      .get('/api/v1/disposals/discrepancies?open=true&limit=500')
      .set(auth(t.tokens.supervisor));
    const mine = queue.body.items.filter((i: { disposalId: string }) => i.disposalId === id);
    expect(mine.map((i: { evidenceNo: string }) => i.evidenceNo)).toEqual([evidenceNos[1], evidenceNos[2]]);

    const shelf = await makeShelf(t, 'Found items');
    const resolve = (ev: string, body: Record<string, unknown>, token = t.tokens.supervisor) =>
      t.http.post(`/api/v1/disposals/${id}/discrepancies/${ev}/resolve`).set(auth(token)).send(body);
    const before = t.head();
    expectProblem(
      await resolve(evidenceNos[1]!, { resolution: 'found', reason: 'x' }, t.tokens.clerk),
      403,
      'forbidden',
    );
    expectProblem(
      await resolve(evidenceNos[1]!, { resolution: 'found', reason: 'behind the rack' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await resolve(evidenceNos[0]!, { resolution: 'written_off', reason: 'x' }),
      404,
      'discrepancy_not_found',
    );
    expect(t.head()).toBe(before);

    const found = await resolve(evidenceNos[1]!, {
      resolution: 'found',
      reason: 'behind the rack',
      locationCode: shelf.printed,
    });
    expect(found.status).toBe(200);
    expect(found.body.counts.openDiscrepancies).toBe(1);
    expect(await item(evidenceNos[1]!)).toMatchObject({
      status: 'in_storage',
      location: { code: shelf.code },
    });
    const off = await resolve(evidenceNos[2]!, {
      resolution: 'written_off',
      reason: 'inquiry 14/2026 closed: stolen in transit',
    });
    expect(off.body.counts.openDiscrepancies).toBe(0);
    expectProblem(
      await resolve(evidenceNos[2]!, { resolution: 'written_off', reason: 'again' }),
      409,
      'discrepancy_resolved',
    );
    const items = await t.http
      .get(`/api/v1/disposals/${id}/items?outcome=missing_at_disposal`)
      .set(auth(t.tokens.clerk));
    expect(items.body.items.map((i: { resolution: string }) => i.resolution)).toEqual([
      'found',
      'written_off',
    ]);
  });
});

describe('GET /disposals/eligible', () => {
  it('lists items of closed cases still on shelves and items authorised but not yet disposed of', async () => {
    const closed = await stockedItems(t, 2);
    const status = await t.http
      .post(`/api/v1/cases/${closed.caseId}/status`)
      .set(auth(t.tokens.supervisor))
      .send({ status: 'closed', reason: 'verdict in force' });
    expect(status.status).toBe(200);
    const waiting = await stockedItems(t, 1);
    const id = await approved(t, waiting.evidenceNos);
    const open = await stockedItems(t, 1);

    const all: { evidenceNo: string; reason: string; disposalId: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: typeof all; nextCursor: string | null } } = await t.http
        .get(`/api/v1/disposals/eligible?limit=50${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth(t.tokens.prosecutor));
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const byEv = new Map(all.map((i) => [i.evidenceNo, i]));
    for (const ev of closed.evidenceNos)
      expect(byEv.get(ev)).toMatchObject({
        reason: 'case_closed',
        disposalId: null,
        valuation: { currency: 'USD' },
      });
    expect(byEv.get(waiting.evidenceNos[0]!)).toMatchObject({
      reason: 'disposal_authorised',
      disposalId: id,
    });
    expect(byEv.has(open.evidenceNos[0]!)).toBe(false);

    // Once proposed, a closed case's items leave the backlog's "case closed" list for the disposal's.
    await proposed(t, { items: closed.evidenceNos });
    const one = await t.http
      .get(`/api/v1/disposals/eligible?caseId=${closed.caseId}`)
      .set(auth(t.tokens.clerk));
    expect(one.body.items).toEqual([]);
  });
});
