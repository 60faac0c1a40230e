import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { CSV_HEADER, csvRows, makeSeizure, postCsv } from '../items/fixtures';

const ITEMS = 1_000;

describe('a labels download cut off by its client, over HTTP', () => {
  // The service's own log (as src/server.ts sets it up, at info), kept in memory.
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const t = makeTestApp({ logger });
  const server = t.app.listen(0, '127.0.0.1');
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** Reads the answer until `bytes` have come, then hangs up; resolves with what it had. */
  function readThenAbort(path: string, bytes: number) {
    const { port } = server.address() as AddressInfo;
    return new Promise<{ status: number; got: number; job: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers: auth(t.tokens.clerk) }, (res) => {
        let got = 0;
        res.on('data', (c: Buffer) => {
          got += c.length;
          if (got >= bytes) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, got, job: String(res.headers['x-labels-job']) });
          }
        });
        res.on('end', () => reject(new Error(`the whole answer came (${got} bytes) before the cut`)));
      });
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
      req.end();
    });
  }

  const cutLine = async (job: string) => {
    for (let i = 0; i < 400; i++) {
      const line = lines.find((l) => l.jobId === job);
      if (line) return line;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no "stopped drawing" line for ${job}: ${JSON.stringify(lines.slice(-3))}`);
  };

  it('stops drawing long before the end, keeps the job recorded, and goes on serving', async () => {
    const c = await makeCase(t);
    const s = await makeSeizure(t, c.id);
    const imported = await postCsv(
      t,
      { caseId: c.id, seizureId: s.id },
      [CSV_HEADER, ...csvRows(ITEMS, 'CUT')].join('\n'),
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);

    const before = t.head();
    const cut = await readThenAbort(`/api/v1/labels/items.pdf?seizureId=${s.id}&format=4x2`, 16 * 1024);
    expect(cut.status).toBe(200);
    const line = await cutLine(cut.job);
    expect(line.msg).toBe('labels: the client went away; stopped drawing');
    expect(line.labels).toBe(ITEMS);
    // What was drawn is about what the socket took before the hang-up, not the thousand asked for.
    expect(line.drawn as number).toBeLessThan(ITEMS / 2);
    // The job was acknowledged, so its one print event stays.
    expect(t.head()).toBe(before + 1);
    const event = t.app.locals.ctx.db.sqlite
      .prepare('SELECT type, entity_id, data FROM events WHERE seq = ?')
      .get(t.head()) as { type: string; entity_id: string; data: string };
    expect(event.type).toBe('labels_printed');
    expect(event.entity_id).toBe(cut.job);
    expect((JSON.parse(event.data) as { items: string[] }).items).toHaveLength(ITEMS);

    // The service answers as before, and the ledger verifies.
    const health = await t.http.get('/api/v1/health');
    expect(health.status).toBe(200);
    const small = await t.http
      .get(`/api/v1/labels/items.zpl?seizureId=${s.id}&format=2x1`)
      .set(auth(t.tokens.clerk));
    expect(small.status).toBe(200);
    expect(small.text.match(/\^XZ/g)).toHaveLength(ITEMS);
    const verify = await t.http.get('/api/v1/ledger/verify').set(auth(t.tokens.auditor));
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  });
});
