import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openDb } from '../../src/db/open';
import { loadOrCreateSigner } from '../../src/ledger/signer';
import { planDemo, planTotals, SEED_SCALE, sizeFor } from '../../src/modules/demo/demo.generator';
import { auth, tempDir } from '../helpers/app';

const BIN = join(import.meta.dirname, '../../bin/custody.js');

function custody(dir: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      CUSTODY_DB: join(dir, 'custody.db'),
      CUSTODY_KEY: join(dir, 'checkpoint.key'),
      LOG_LEVEL: 'silent',
    },
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('demo plan', () => {
  it('is the same for the same seed and different for another', () => {
    const size = sizeFor(400);
    expect(planDemo(size, 7)).toEqual(planDemo(size, 7));
    expect(planDemo(size, 7)).not.toEqual(planDemo(size, 8));
  });

  it('has the crackdown’s shape at seed scale: 106 sites (55 ceased, 51 terminated), 25 cases, 67,000 items, ≈ $190M', () => {
    const plan = planDemo(SEED_SCALE, 2022);
    const totals = planTotals(plan);
    const seizures = plan.cases.flatMap((c) => c.seizures);
    expect(totals).toMatchObject({ cases: 25, sites: 106, items: 67_000 });
    expect(seizures.filter((s) => s.outcome === 'ceased_voluntarily')).toHaveLength(55);
    expect(seizures.filter((s) => s.outcome === 'terminated')).toHaveLength(51);
    expect(totals.usdAtSeizure).toBeGreaterThan(170e6);
    expect(totals.usdAtSeizure).toBeLessThan(210e6);
    expect(new Set(seizures.map((s) => s.region)).size).toBe(7);
    expect(new Set(seizures.map((s) => s.legalGround))).toEqual(
      new Set(['illegal_grid_connection', 'tax_evasion', 'customs_evasion']),
    );
  });

  it('values ASICs by the date: over $100/TH late 2021, under $20/TH late 2022', () => {
    const items = planDemo(sizeFor(3000), 2022).cases.flatMap((c) => c.seizures.flatMap((s) => s.items));
    const s19 = items.filter(
      (i) => i.row.model === 'Antminer S19 Pro' && i.row.condition === 'б/у, исправен',
    );
    const perTh = (cents: number) => cents / 100 / 110 / 0.8 / 1.1;
    const late2021 = s19.filter((i) => i.valuation.asOf < '2021-11-15');
    const revalued = s19.filter((i) => i.revaluation && i.revaluation.asOf >= '2022-11-01');
    expect(late2021.length).toBeGreaterThan(0);
    expect(revalued.length).toBeGreaterThan(0);
    for (const i of late2021) expect(perTh(i.valuation.cents)).toBeGreaterThan(100);
    for (const i of revalued) expect(perTh(i.revaluation!.cents)).toBeLessThan(20);
  });
});

describe('custody demo', () => {
  const dir = tempDir();

  it('loads a small data set through the services, prints the demo tokens, and verify passes', () => {
    const demo = custody(dir, 'demo', '--items', '300', '--seed', '5');
    expect(demo.stderr).not.toMatch(/error/i);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/demo data loaded \(seed 5\): \d+ cases?, \d+ seizures, 300 items/);
    for (const role of ['admin', 'clerk', 'supervisor', 'prosecutor', 'auditor']) {
      expect(demo.stdout).toMatch(new RegExp(`^\\s+${role}\\s+\\S+\\s+cdy_\\S+$`, 'm'));
    }

    const verify = custody(dir, 'verify');
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/intact/);
  });

  it('leaves items valued, received, moved and lent, readable with the printed prosecutor token', async () => {
    const first = custody(dir, 'token', 'issue', 'demo.prosecutor');
    expect(first.code).toBe(0);
    const token = first.stdout.trim().split('\n').at(-1)!;
    const db = openDb(join(dir, 'custody.db'));
    const app = createApp({
      db,
      signer: loadOrCreateSigner(join(dir, 'checkpoint.key')),
      checkpointIntervalMs: 0,
    });
    try {
      const statuses = db.sqlite.prepare('SELECT status, count(*) AS n FROM items GROUP BY status').all() as {
        status: string;
        n: number;
      }[];
      expect(statuses.reduce((s, r) => s + r.n, 0)).toBe(300);
      expect(statuses.map((r) => r.status)).toContain('in_storage');
      const valued = db.sqlite.prepare('SELECT count(*) AS n FROM items WHERE value_minor > 0').get() as {
        n: number;
      };
      expect(valued.n).toBe(300);
      const one = db.sqlite
        .prepare(
          "SELECT evidence_no FROM items WHERE status = 'in_storage' AND category = 'asic_miner' LIMIT 1",
        )
        .get() as {
        evidence_no: string;
      };
      const res = await request(app).get(`/api/v1/items/${one.evidence_no}`).set(auth(token));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'in_storage', valuation: { currency: 'USD' } });
      expect(res.body.location.path).toMatch(/склад.* › Зал [A-D] › Стеллаж .* › Ячейка \d/);
      const write = await request(app)
        .post('/api/v1/cases')
        .set(auth(token))
        .send({ number: 'X/1', title: 't', legalBasis: 'b', agency: 'a', openedOn: '2022-01-01' });
      expect(write.status).toBe(403);
    } finally {
      await app.locals.ctx.ledger.close();
      db.sqlite.close();
    }
  });

  it('refuses to load the data set twice into one database, writing nothing', () => {
    const before = custody(dir, 'verify', '--json');
    const again = custody(dir, 'demo', '--items', '300', '--seed', '5');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already holds the demo data set/);
    const after = custody(dir, 'verify', '--json');
    expect(JSON.parse(after.stdout).events).toBe(JSON.parse(before.stdout).events);
  });
});
