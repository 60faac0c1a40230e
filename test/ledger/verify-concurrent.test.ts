import { describe, expect, it } from 'vitest';
import * as cases from '../../src/modules/cases/cases.service';
import { auth, makeTestApp } from '../helpers/app';
import { caseBody } from '../helpers/factories';

const t = makeTestApp();

describe('GET /ledger/verify beside live writes', () => {
  it('verifies one snapshot off the event loop while cases keep being opened', async () => {
    const { ledger } = t.app.locals.ctx;
    ledger.writeNow((tx) => {
      for (let i = 0; i < 20_000; i++) {
        cases.openCase(
          tx,
          {
            number: `BULK-${i}`,
            title: 'Bulk',
            legalBasis: 'art. 214',
            agency: 'AFM',
            openedOn: '2022-03-01',
          },
          t.userIds.clerk,
        );
      }
    });
    const before = t.head();
    const order: string[] = [];
    const verifying = t.http
      .get('/api/v1/ledger/verify')
      .set(auth(t.tokens.auditor))
      .then((res) => {
        order.push('verify');
        return res;
      });
    for (let i = 0; i < 20; i++) {
      const res = await t.http.post('/api/v1/cases').set(auth(t.tokens.clerk)).send(caseBody());
      expect(res.status).toBe(201);
      order.push('write');
    }
    const res = await verifying;
    expect(res.status).toBe(200);
    // Writes were answered while the verify ran, and the verify saw one consistent state.
    expect(order[0]).toBe('write');
    expect(res.body).toMatchObject({ ok: true, firstBad: null, projectionsChecked: true });
    expect(res.body.events).toBeGreaterThanOrEqual(before);
    expect(res.body.events).toBeLessThanOrEqual(t.head());
  });
});
