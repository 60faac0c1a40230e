import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeSeizure, postCsv } from './fixtures';

const t = makeTestApp();

describe('GET /cases/:caseId summary', () => {
  it('sums items by category and status, value per currency, rated power and MWh/day, per seizure too', async () => {
    const c = await makeCase(t);
    const s1 = await makeSeizure(t, c.id, {
      farmName: 'Ekibastuz-1',
      estimatedLoadKw: 4200,
      outcome: 'terminated',
    });
    const s2 = await makeSeizure(t, c.id, {
      farmName: 'Karaganda-2',
      estimatedLoadKw: null,
      outcome: 'ceased_voluntarily',
    });
    const one = await postCsv(
      t,
      { caseId: c.id, seizureId: s1.id },
      [
        'category,make,model,quantity,power_w',
        ...Array(10).fill('asic_miner,Bitmain,Antminer S19,1,3250'),
        'psu,Bitmain,APW12,1,1800', // converts power: not a load
        'cable_lot,,,100,',
      ].join('\n'),
    );
    expect(one.status).toBe(201);
    const two = await postCsv(
      t,
      { caseId: c.id, seizureId: s2.id },
      'category,model,quantity,power_w\ngpu_rig,6x RTX 3070,2,1200\ntransformer,ТМГ-1000,1,1000000\n',
    );
    expect(two.status).toBe(201);
    const value = (no: string, amountMinor: number, currency: string) =>
      t.http.post(`/api/v1/items/${no}/events`).set(auth(t.tokens.clerk)).send({
        type: 'valued',
        amountMinor,
        currency,
        method: 'expert_appraisal',
        appraiser: 'A',
        asOf: '2022-03-01',
      });
    expect((await value(one.body.evidenceNos[0], 1_000_00, 'USD')).status).toBe(201);
    expect((await value(one.body.evidenceNos[0], 800_00, 'USD')).status).toBe(201); // the latest counts
    expect((await value(one.body.evidenceNos[1], 900_00, 'USD')).status).toBe(201);
    expect((await value(two.body.evidenceNos[0], 50_000_000, 'KZT')).status).toBe(201);

    const res = await t.http.get(`/api/v1/cases/${c.id}`).set(auth(t.tokens.prosecutor));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, number: c.number, status: 'open' });
    const { summary } = res.body;
    expect(summary).toMatchObject({
      itemCount: 14,
      seizureCount: 2,
      byCategory: { asic_miner: 10, psu: 1, cable_lot: 1, gpu_rig: 1, transformer: 1, gpu: 0 },
      byStatus: { registered: 14, in_storage: 0 },
      valuation: [
        { currency: 'KZT', totalMinor: 50_000_000, valuedItems: 1 },
        { currency: 'USD', totalMinor: 1_700_00, valuedItems: 2 },
      ],
      ratedPowerKw: 34.9, // 10 × 3.25 kW + 2 × 1.2 kW
      energyMwhPerDay: 0.838, // 34.9 × 24 / 1000, rounded
      estimatedLoadKw: 4200,
      estimatedMwhPerDay: 100.8,
    });
    expect(summary.seizures).toEqual([
      expect.objectContaining({
        seizureId: s1.id,
        farmName: 'Ekibastuz-1',
        outcome: 'terminated',
        itemCount: 12,
        ratedPowerKw: 32.5,
        energyMwhPerDay: 0.78,
        estimatedLoadKw: 4200,
        estimatedMwhPerDay: 100.8,
        valuation: [{ currency: 'USD', totalMinor: 1_700_00, valuedItems: 2 }],
      }),
      expect.objectContaining({
        seizureId: s2.id,
        itemCount: 2,
        ratedPowerKw: 2.4,
        estimatedLoadKw: null,
        estimatedMwhPerDay: null,
        valuation: [{ currency: 'KZT', totalMinor: 50_000_000, valuedItems: 1 }],
      }),
    ]);
  });

  it('gives an empty case a zero summary', async () => {
    const c = await makeCase(t);
    const res = await t.http.get(`/api/v1/cases/${c.id}`).set(auth(t.tokens.auditor));
    expect(res.body.summary).toMatchObject({
      itemCount: 0,
      seizureCount: 0,
      ratedPowerKw: 0,
      valuation: [],
      seizures: [],
    });
  });

  it('still answers 404 for an unknown case', async () => {
    expectProblem(
      await t.http.get('/api/v1/cases/case_nope').set(auth(t.tokens.clerk)),
      404,
      'case_not_found',
    );
  });
});
