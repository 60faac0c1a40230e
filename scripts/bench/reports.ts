import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deployedService } from './deployed';
import { spawnTs } from './load';
import type { Metric } from './report';

const CHILD = fileURLToPath(new URL('./reports-child.ts', import.meta.url));

async function child<T>(args: string[]): Promise<T> {
  const c = spawnTs(CHILD, args);
  let out = '';
  c.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  const code = await new Promise<number | null>((resolve) => c.once('exit', resolve));
  if (code !== 0) throw new Error(`reports child (${args[0]}) exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** A process's resident memory now and at its peak (VmRSS, VmHWM), in MB (Linux). */
function rssOf(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * The service as a deployment runs it: built, then `node dist/server.js` (what `npm start` execs),
 * configured only by the environment a deployment sets, default logging (LOG_LEVEL unset: info, to
 * a file as a log collector would take it), real bearer-token auth.
 */
async function startService(dir: string, db: string, key: string) {
  const log = join(dir, 'reports-service.log');
  const fd = openSync(log, 'w');
  const { LOG_LEVEL: _unset, ...env } = process.env;
  const deployed = deployedService();
  const service: ChildProcess = spawn(deployed.command, deployed.args, {
    cwd: deployed.cwd,
    env: { ...env, CUSTODY_DB: db, CUSTODY_KEY: key, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', fd, 'inherit'],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => service.once('exit', () => resolve()));
  // PORT=0: the service takes a free port and says which once it listens.
  let port = 0;
  const end = Date.now() + 120_000;
  while (port === 0) {
    if (service.exitCode !== null) throw new Error(`the service exited: ${readFileSync(log, 'utf8')}`);
    if (Date.now() > end) throw new Error('the service did not start');
    await new Promise((r) => setTimeout(r, 100));
    port = Number(
      /^Custody Ledger: http:\/\/127\.0\.0\.1:(\d+)\//m.exec(readFileSync(log, 'utf8'))?.[1] ?? 0,
    );
  }
  return {
    port,
    pid: service.pid!,
    async stop() {
      if (service.exitCode === null) service.kill('SIGTERM');
      await exited;
    },
  };
}

interface Fetched {
  status: number;
  pages: number;
  firstByteMs: number;
  /** When the first whole page had arrived (its page object: pdfkit writes it when the next begins). */
  firstPageMs: number;
  ms: number;
  bytes: number;
  fingerprint: string;
}

/** GETs `path`, reading the body as it comes (and throwing it away), with its trailers. */
function fetchReport(port: number, path: string, token: string): Promise<Fetched> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get({ port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let first = 0;
      let firstPage = 0;
      let tail = '';
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        if (first === 0) first = performance.now() - t0;
        if (firstPage === 0) {
          const text = tail + c.toString('latin1');
          if (text.includes('/Type /Page\n')) firstPage = performance.now() - t0;
          tail = text.slice(-16);
        }
        bytes += c.length;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          pages: Number(res.trailers['x-report-pages']),
          fingerprint: res.trailers['x-report-fingerprint'] ?? '',
          firstByteMs: first,
          firstPageMs: firstPage,
          ms: performance.now() - t0,
          bytes,
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * The case report of the demo data set's largest case (`items` items in the whole set; the seed
 * scale is 67,000), from the service as deployed, against bare pdfkit drawing as many table pages
 * (40 rows × 6 cells of custody-table text, a header, "Page i of n") in the same run, each in a
 * process of its own. Peak RSS is the service process's (VmHWM), from its start to the report's end.
 */
export async function reportsBench(o: {
  dir: string;
  items: number;
  say: (l: string) => void;
}): Promise<Metric[]> {
  const db = join(o.dir, 'reports.db');
  const key = join(o.dir, 'reports.key');
  o.say(`reports: demo data set of ${o.items.toLocaleString('en-US')} items`);
  const { token, caseId, caseItems } = await child<{ token: string; caseId: string; caseItems: number }>([
    'build',
    db,
    key,
    String(o.items),
  ]);
  const service = await startService(o.dir, db, key);
  let ours: Fetched;
  let rss: { now: number; peak: number };
  let idle: number;
  const load: number[] = [];
  try {
    idle = rssOf(service.pid).now;
    o.say(
      `reports: the largest case’s report.pdf (${caseItems.toLocaleString('en-US')} items) from dist/server.js`,
    );
    load.push(loadavg()[0]!);
    ours = await fetchReport(service.port, `/api/v1/cases/${caseId}/report.pdf`, token);
    load.push(loadavg()[0]!);
    rss = rssOf(service.pid);
  } finally {
    await service.stop();
  }
  if (ours.status !== 200) throw new Error(`the case report answered ${ours.status}`);
  if (!(ours.pages > 0) || ours.fingerprint.length !== 64)
    throw new Error('the case report sent no X-Report-Pages / X-Report-Fingerprint trailers');
  o.say(`reports: bare pdfkit, ${ours.pages} pages`);
  type Bare = { pages: number; ms: number; pagesPerSec: number; peakRssMb: number };
  const bare = await child<Bare>(['bare', String(ours.pages)]);
  const glyphs = await child<Bare>(['bare', String(ours.pages), 'glyphs']);
  load.push(loadavg()[0]!);
  const pagesPerSec = ours.pages / (ours.ms / 1000);
  return [
    {
      group: 'reports',
      name: 'bare pdfkit table pages',
      value: bare.pagesPerSec,
      unit: 'pages/s',
      ratio: null,
      peakRssMb: bare.peakRssMb,
      detail: `${bare.pages} pages of 40 rows × 6 cells (custody-table text, one distinct cell a row), header, "Page i of n", embedded font, layout cache dropped every 64 pages; peak RSS ${bare.peakRssMb.toFixed(0)} MB`,
    },
    {
      group: 'reports',
      name: 'GET /cases/:id/report.pdf',
      value: pagesPerSec,
      unit: 'pages/s',
      ratio: pagesPerSec / bare.pagesPerSec,
      ceiling: 'bare pdfkit table pages',
      goal: '≥ 0.8×, first byte < 1 s, peak RSS < 300 MB',
      peakRssMb: rss.peak,
      detail: `${caseItems.toLocaleString('en-US')} items, ${ours.pages} pages (${(ours.bytes / 1e6).toFixed(1)} MB) in ${(ours.ms / 1000).toFixed(1)} s from dist/server.js (default logging, bearer token), first byte ${ours.firstByteMs.toFixed(0)} ms, first page ${ours.firstPageMs.toFixed(0)} ms (one pass; fingerprint and page count sent as trailers), service peak RSS ${rss.peak.toFixed(0)} MB (idle ${idle.toFixed(0)} MB); load average ${load.map((l) => l.toFixed(1)).join(' → ')}; ${(pagesPerSec / glyphs.pagesPerSec).toFixed(2)}× the same bare pages with their text drawn glyph by glyph as the reports draw it (${glyphs.pagesPerSec.toFixed(0)} pages/s; the ceiling pays pdfkit's shaping)`,
    },
  ];
}
