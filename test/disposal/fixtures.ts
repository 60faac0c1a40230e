import type { Role } from '../../src/modules/users/roles';
import * as users from '../../src/modules/users/users.service';
import { makeItems, makeShelf } from '../custody/fixtures';
import { pdfBytes, uploadDocument } from '../documents/fixtures';
import { auth, type TestApp } from '../helpers/app';

/** Another user with a token (a second supervisor for the four-eyes rule, a second clerk …). */
export function makeUser(t: TestApp, role: Role, username: string) {
  return t.app.locals.ctx.ledger.writeNow((tx) => {
    const u = users.createUser(tx, { username, displayName: `Test ${username}`, role }, 'system');
    return { id: u.id, username, token: users.issueToken(tx, u.id, 'system').token };
  });
}

/**
 * `n` miners of one fresh case, received on a shelf by the clerk (one batch) and valued by it:
 * items a disposal may take. Returns their compact numbers, the case and the shelf.
 */
export async function stockedItems(t: TestApp, n: number, valueMinor = 45_000_00) {
  const evidenceNos = await makeItems(t, n);
  const shelf = await makeShelf(t);
  const events = evidenceNos.flatMap((evidenceNo) => [
    { evidenceNo, event: { type: 'received', locationCode: shelf.code } },
    {
      evidenceNo,
      event: {
        type: 'valued',
        amountMinor: valueMinor,
        currency: 'USD',
        method: 'market_comparison',
        appraiser: 'Ермеков Н.',
        asOf: '2026-03-01',
      },
    },
  ]);
  for (let i = 0; i < events.length; i += 5000) {
    const res = await t.http
      .post('/api/v1/events/batch')
      .set(auth(t.tokens.clerk))
      .send({ events: events.slice(i, i + 5000) });
    if (res.status !== 201)
      throw new Error(`stockedItems: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  const item = await t.http.get(`/api/v1/items/${evidenceNos[0]}`).set(auth(t.tokens.clerk));
  return { evidenceNos, caseId: item.body.caseId as string, shelf };
}

export const authority = (overrides: Record<string, unknown> = {}) => ({
  kind: 'court_order',
  number: '2-1187/2026',
  date: '2026-02-20',
  issuer: 'Экибастузский городской суд',
  ...overrides,
});

/** A court order scanned and attached; its hash. */
export async function courtOrder(t: TestApp, tag = 'order') {
  return (await uploadDocument(t, pdfBytes(tag))).sha256;
}

export function propose(t: TestApp, body: Record<string, unknown>, token = t.tokens.clerk) {
  return t.http
    .post('/api/v1/disposals')
    .set(auth(token))
    .send({ disposition: 'destroy', authority: authority(), ...body });
}

export async function proposed(t: TestApp, body: Record<string, unknown>, token = t.tokens.clerk) {
  const res = await propose(t, body, token);
  if (res.status !== 201) throw new Error(`propose: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body as { id: string; status: string };
}

export function act(
  t: TestApp,
  id: string,
  step: string,
  body: Record<string, unknown> = {},
  token = t.tokens.supervisor,
) {
  return t.http.post(`/api/v1/disposals/${id}/${step}`).set(auth(token)).send(body);
}

/** Proposed by the clerk and approved by the supervisor. */
export async function approved(t: TestApp, evidenceNos: string[], body: Record<string, unknown> = {}) {
  const d = await proposed(t, { items: evidenceNos, ...body });
  const res = await act(t, d.id, 'approve');
  if (res.status !== 200) throw new Error(`approve: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return d.id;
}

export function scan(t: TestApp, id: string, code: string, token = t.tokens.clerk) {
  return t.http.post(`/api/v1/disposals/${id}/items`).set(auth(token)).send({ code });
}

/** An auditor (outside the property unit) and a prosecutor's inspector from outside. */
export const WITNESSES = [
  { user: 'auditor1' },
  { name: 'Әлібек Сейітов', title: 'Senior inspector', agency: 'Prosecutor’s Office of Pavlodar Region' },
];

export const completion = (overrides: Record<string, unknown> = {}) => ({
  place: 'Ekibastuz, industrial zone 4, MetallService LLP yard',
  method: 'crushing',
  contractor: 'MetallService LLP (licence 02-114)',
  transport: 'Truck 123 ABC 14, escorted by two officers',
  witnesses: WITNESSES,
  ...overrides,
});
