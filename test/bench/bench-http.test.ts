import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../scripts/bench/load';
import { startService } from '../../scripts/bench/service';
import { tempDir } from '../helpers/app';

// A smoke test of what the HTTP stage measures, at the smallest size and with no assertion on any
// figure: the service as deployed (src/server.ts, its logger at info, a real clerk token) takes
// note POSTs on one item, and writes one request log line for each.
describe('bench: the service under the HTTP stage', () => {
  it('answers every note POST with 201 and logs each request', async () => {
    const service = await startService(join(tempDir(), 'service'), 'info');
    let result: Awaited<ReturnType<typeof load>>;
    try {
      result = await load({
        url: service.url,
        path: `/api/v1/items/${service.evidenceNo}/events`,
        headers: { authorization: `Bearer ${service.token}` },
        body: JSON.stringify({ type: 'note', text: 'bench smoke' }),
        connections: 2,
        durationSec: 0.5,
      });
    } finally {
      await service.stop();
    }
    expect(result.requests).toBeGreaterThan(0);
    expect(result.non2xx).toBe(0);
    expect(result.errors).toBe(0);
    expect(service.logLines()).toBeGreaterThanOrEqual(result.requests);
  });
});
