import { describe, expect, it } from 'vitest';
import { proofsBench } from '../../scripts/bench/proofs';
import { renderTable } from '../../scripts/bench/report';
import { STAGES } from '../../scripts/bench/run';
import { tempDir } from '../helpers/app';

// A smoke test only: a small ledger, and no assertion on any timing — figures belong to `npm run bench`.
describe('bench, proofs stage', () => {
  it('is a stage of npm run bench', () => {
    expect(STAGES).toContain('proofs');
  });

  it('times proofs through the service and HTTP against ceilings from the same run', async () => {
    const metrics = await proofsBench({ dir: tempDir(), events: 3_000, samples: 80, httpSeconds: 0.2 });
    expect(
      metrics.map((m) => [
        m.name.replace(/[\d,]+ events/, 'N events').replace(/[\d.]+ ms/, 'T ms'),
        m.ratio === null ? 'ceiling' : m.ceiling,
      ]),
    ).toEqual([
      ['bare inclusion proof, whole tree in memory, N events (ceiling)', 'ceiling'],
      ['inclusion proof (service: GET /ledger/proofs/inclusion without HTTP)', 'bare inclusion proof'],
      ['inclusion proof p99 (service; p99 of CPU time T ms)', 'bare inclusion proof p99'],
      ['bare consistency proof, whole tree in memory, N events (ceiling)', 'ceiling'],
      ['consistency proof (service: GET /ledger/proofs/consistency without HTTP)', 'bare consistency proof'],
      ['consistency proof p99 (service; p99 of CPU time T ms)', 'bare consistency proof p99'],
      ['bare Express GET /echo/:id, 1 connection, p50 (ceiling)', 'ceiling'],
      ['GET /ledger/proofs/inclusion, N events, 1 connection, p50', 'bare Express GET'],
    ]);
    for (const m of metrics) {
      expect(m.value, m.name).toBeGreaterThan(0);
      if (m.ratio !== null) expect(Number.isFinite(m.ratio) && m.ratio > 0, m.name).toBe(true);
    }
    expect(metrics[0]!.detail).toMatch(/ledger built in [\d.]+ s through ledger\.writeNow/);
    // Every proof through HTTP was answered (a refusal would be a non-2xx).
    expect(metrics.at(-1)!.detail).toMatch(/ 0 non-2xx/);
    const table = renderTable({
      startedAt: '',
      machine: { cpus: 2, node: '', platform: '' },
      sizes: {},
      seconds: 1,
      metrics,
      notes: [],
    });
    expect(table).toMatch(/inclusion proof \(service.*×\s+< 1 ms/);
  });
});
