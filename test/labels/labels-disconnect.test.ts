import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { CSV_HEADER, csvRows, makeSeizure, postCsv } from '../items/fixtures';

const ITEMS = 1_000;
/**
 * ZPL is small (a 2x1 label is ~300 bytes): a thousand fit in the socket's buffers before the
 * hang-up reaches the service. 4x6 labels with a Kazakh site and make carry ^GF graphic fields
 * (several KB each), so a few thousand are megabytes: far more than the buffers hold.
 */
const ZPL_ITEMS = 3_000;

describe('a labels download cut off by its client, over HTTP', () => {
  // The service's own log (as src/server.ts sets it up, at info), kept in memory.
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const t = makeTestApp({ logger });
  const server = t.app.listen(0, '127.0.0.1');
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const { sqlite } = t.app.locals.ctx.db;

  /** Reads the answer until `bytes` have come, then hangs up; resolves with what it had. */
  function readThenAbort(path: string, bytes: number) {
    const { port } = server.address() as AddressInfo;
    return new Promise<{ status: number; got: number; job: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers: auth(t.tokens.clerk) }, (res) => {
        const chunks: Buffer[] = [];
        let got = 0;
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          got += c.length;
          if (got >= bytes) {
            req.destroy();
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, got, job: String(res.headers['x-labels-job']), body });
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

  async function until<T>(what: string, find: () => T | undefined): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const found = find();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${what} never came: ${JSON.stringify(lines.slice(-3))}`);
  }

  interface EventRow {
    seq: number;
    type: string;
    actor: string;
    entity_id: string;
    data: string;
  }
  const jobEvents = (job: string) =>
    (
      sqlite
        .prepare('SELECT seq, type, actor, entity_id, data FROM events WHERE entity_id = ? ORDER BY seq')
        .all(job) as EventRow[]
    ).map((e) => ({ ...e, data: JSON.parse(e.data) as Record<string, unknown> }));

  /** The job's log line and its two events, once the cut is recorded. */
  async function cutRecord(job: string) {
    const line = await until('a "stopped drawing" line', () => lines.find((l) => l.jobId === job));
    expect(line.msg).toBe('labels: the client went away; stopped drawing');
    const events = await until('the cut event', () => {
      const e = jobEvents(job);
      return e.length === 2 ? e : undefined;
    });
    const [printed, cut] = events as [(typeof events)[0], (typeof events)[0]];
    expect(printed.type).toBe('labels_printed');
    expect(cut).toMatchObject({ type: 'labels_print_cut', actor: t.userIds.clerk });
    expect(cut.data.jobSeq).toBe(printed.seq);
    return { line, printed, cut };
  }

  /** The items of a seizure that count as printed: the first `n` of the job, in its order. */
  async function printedItems(seizureId: string) {
    const res = await t.http
      .get('/api/v1/items')
      .query({ seizureId, labelPrinted: true, limit: 500 })
      .set(auth(t.tokens.clerk));
    expect(res.status).toBe(200);
    return (res.body.items as { evidenceNo: string }[]).map((i) => i.evidenceNo);
  }

  async function stillServing(items: string[]) {
    expect((await t.http.get('/api/v1/health')).status).toBe(200);
    const small = await t.http
      .get('/api/v1/labels/items.zpl')
      .query({ items: items.join(','), format: '2x1' })
      .set(auth(t.tokens.clerk));
    expect(small.status).toBe(200);
    expect(small.text.match(/\^XZ/g)).toHaveLength(items.length);
    const verify = await t.http.get('/api/v1/ledger/verify').set(auth(t.tokens.auditor));
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  }

  it('PDF: stops drawing long before the end, records how far it got, and goes on serving', async () => {
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
    const { line, printed, cut: record } = await cutRecord(cut.job);
    expect(line.labels).toBe(ITEMS);
    // What was drawn is about what the socket took before the hang-up, not the thousand asked for.
    expect(line.drawn as number).toBeLessThan(ITEMS / 2);
    // The job was acknowledged, so its print event stays, naming the thousand asked for; the cut
    // event says how far it got.
    expect(printed.data.items).toHaveLength(ITEMS);
    expect(record.data).toEqual({
      jobSeq: printed.seq,
      labels: ITEMS,
      labelsSent: line.drawn,
      itemsSent: line.drawn,
    });
    expect(t.head()).toBe(before + 2);
    // Only the items sent count as printed: the rest are found by labelPrinted=false again.
    expect(await printedItems(s.id)).toEqual((printed.data.items as string[]).slice(0, line.drawn as number));

    await stillServing((printed.data.items as string[]).slice(-ITEMS / 2));
  });

  it('ZPL: stops sending long before the end, records how far it got, and goes on serving', async () => {
    const c = await makeCase(t);
    const s = await makeSeizure(t, c.id, { farmName: 'Қуат-Әлем Екібастұз' });
    const rows = csvRows(ZPL_ITEMS, 'ZCUT').map((r) => r.replace('Bitmain,', 'Қазақ ӘҒҚҢӨҰҮҺІ,'));
    const imported = await postCsv(t, { caseId: c.id, seizureId: s.id }, [CSV_HEADER, ...rows].join('\n'));
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);

    const before = t.head();
    const cut = await readThenAbort(
      `/api/v1/labels/items.zpl?seizureId=${s.id}&format=4x6&copies=2`,
      64 * 1024,
    );
    expect(cut.status).toBe(200);
    // What came are whole labels, the Kazakh text as graphic fields.
    expect(cut.body.startsWith('^XA^CI28')).toBe(true);
    expect(cut.body).toContain('^GFA,');

    const { line, printed, cut: record } = await cutRecord(cut.job);
    expect(line.labels).toBe(ZPL_ITEMS * 2);
    const sent = record.data.labelsSent as number;
    expect(sent).toBe(line.drawn);
    // Whole items only (each ^XA…^XZ carries its copies as ^PQ2), far fewer than asked for.
    expect(sent % 2).toBe(0);
    expect(sent).toBeLessThan(ZPL_ITEMS);
    // At least what the client read was sent.
    expect(sent / 2).toBeGreaterThanOrEqual(cut.body.split('^XZ').length - 1);
    expect(record.data).toEqual({
      jobSeq: printed.seq,
      labels: ZPL_ITEMS * 2,
      labelsSent: sent,
      itemsSent: sent / 2,
    });
    expect(t.head()).toBe(before + 2);
    const shown = await printedItems(s.id);
    expect(shown).toEqual((printed.data.items as string[]).slice(0, Math.min(sent / 2, 500)));

    await stillServing((printed.data.items as string[]).slice(-20));
  });
});
