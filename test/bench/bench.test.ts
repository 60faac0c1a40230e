import { describe, expect, it } from 'vitest';
import { renderTable } from '../../scripts/bench/report';
import { runBench } from '../../scripts/bench/run';

// A smoke test only: tiny sizes, and no assertion on any timing — figures belong to `npm run bench`.
describe('bench', () => {
  it('measures each figure against a ceiling from the same run and reports the ratio', async () => {
    const result = await runBench({
      stages: ['append', 'verify', 'items'],
      sizes: {
        appendEvents: 300,
        verifyEvents: 600,
        importRows: 200,
        lookupEvents: 600,
        lookupSeconds: 1,
        connections: 2,
      },
      log: null,
    });
    const groups = new Set(result.metrics.map((m) => m.group));
    expect(groups).toEqual(new Set(['append', 'verify', 'items']));
    for (const group of groups) {
      const metrics = result.metrics.filter((m) => m.group === group);
      expect(metrics.filter((m) => m.ratio === null).length).toBeGreaterThanOrEqual(1);
      for (const m of metrics) {
        expect(m.value).toBeGreaterThan(0);
        if (m.ratio !== null) expect(Number.isFinite(m.ratio) && m.ratio > 0).toBe(true);
      }
    }
    const verify = result.metrics.filter((m) => m.group === 'verify');
    expect(verify).toHaveLength(3);
    for (const m of verify) expect(m.detail).toMatch(/^intact, 600 events/);
    expect(result.metrics.find((m) => m.name.startsWith('GET /items/'))?.detail).toMatch(/ 0 non-2xx$/);
    const table = renderTable(result);
    expect(table).toMatch(/ledger\.writeNow.*×/);
    expect(table).toMatch(/POST \/items\/import/);
  });
});

describe('bench, reports stage', () => {
  it('measures the case report against bare pdfkit pages in the same run', async () => {
    const result = await runBench({ stages: ['reports'], sizes: { reportItems: 150 }, log: null });
    const [bare, ours] = result.metrics;
    expect(bare).toMatchObject({ group: 'reports', ratio: null, unit: 'pages/s' });
    expect(ours).toMatchObject({ group: 'reports', name: 'GET /cases/:id/report.pdf', unit: 'pages/s' });
    expect(ours!.ratio).toBeGreaterThan(0);
    expect(ours!.detail).toMatch(/items, \d+ pages .* first byte \d+ ms, first page \d+ ms/);
    expect(ours!.peakRssMb).toBeGreaterThan(0);
  });
});
