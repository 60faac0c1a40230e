import { describe, expect, it } from 'vitest';
import { runBench } from '../../scripts/bench/run';

// A smoke test of the audits stage at a tiny size; no assertion on any timing.
describe('bench: audits stage', () => {
  it('scans a room, closes the audit and reports each figure', async () => {
    const result = await runBench({
      stages: ['audits'],
      sizes: { auditItems: 200, auditSingleScans: 30 },
      log: null,
    });
    const audits = result.metrics.filter((m) => m.group === 'audits');
    expect(audits).toHaveLength(5);
    for (const m of audits) expect(m.value).toBeGreaterThan(0);
    expect(audits.find((m) => m.name.startsWith('POST /audits/:id/close'))?.detail).toMatch(/^5 events/);
    expect(audits.find((m) => m.name.startsWith('GET /audits/:id'))?.detail).toBe(
      'found 198, not yet scanned 2',
    );
  });
});
