import { mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import { FONTS } from '../../src/lib/fonts';
import { spawnTs } from './load';
import type { Metric } from './report';
import { type BenchService, startService } from './service';

const SEED = fileURLToPath(new URL('./labels-seed.ts', import.meta.url));
const IN = 72;

// bwip-js ships its pdfkit drawing only as an example, outside the package's exports.
const require = createRequire(import.meta.url);
const DrawingPDFKit = require(join(dirname(require.resolve('bwip-js')), '../examples/drawing-pdfkit.js')) as (
  doc: PDFKit.PDFDocument,
  opts: object,
  fontLib: unknown,
) => bwipjs.DrawingContext<PDFKit.PDFDocument>;
const bwip = bwipjs as typeof bwipjs & {
  fixupOptions(o: bwipjs.RenderOptions): bwipjs.RenderOptions;
  FontLib: unknown;
};

/**
 * The ceiling: bare bwip-js → pdfkit, n labels of 4 × 2 in — Code 128 with its text and a
 * DataMatrix drawn as vector paths by bwip-js's own example drawing, five lines of pdfkit text in
 * an embedded font — into a stream that only counts bytes, yielding between pages.
 */
export async function bareLabels(n: number): Promise<{ perSec: number; bytes: number }> {
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0 });
  doc.registerFont('text', FONTS.condensed);
  let bytes = 0;
  doc.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  const ended = new Promise((r) => doc.once('end', r));
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    doc.addPage({ size: [4 * IN, 2 * IN], margin: 0 });
    const text = `EV26${String(i).padStart(7, '0')}${i % 10}`;
    for (const [bcid, x, y, extra] of [
      ['code128', 10, 20, { includetext: true, height: 10 }],
      ['datamatrix', 200, 20, {}],
    ] as const) {
      const opts = bwip.fixupOptions({ bcid, text, scale: 2, ...extra });
      doc.save().translate(x, y).scale(0.6);
      bwipjs.render(opts, DrawingPDFKit(doc, opts, bwip.FontLib));
      doc.restore();
    }
    doc.font('text').fontSize(8);
    for (let l = 0; l < 5; l++)
      doc.text(`Line ${l + 1} of label ${i}: Bitmain Antminer S19 Pro`, 10, 80 + l * 11, {
        lineBreak: false,
      });
    await new Promise((r) => setImmediate(r));
  }
  doc.end();
  await ended;
  return { perSec: n / ((performance.now() - started) / 1000), bytes };
}

async function firstLine(child: ReturnType<typeof spawnTs>) {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exit = new Promise<never>((_, reject) =>
    child.once('exit', (c) => reject(new Error(`labels seed exited with ${c}`))),
  );
  const line = await Promise.race([lines.next(), exit]);
  return { line: line.value as string, lines };
}

/** VmRSS (now) and VmHWM (the lifetime peak) of a process, in MB, from /proc. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

interface Timed {
  status: number;
  firstByteMs: number;
  ms: number;
  bytes: number;
  /** The service's RSS sampled every 250 ms while the answer streamed, in MB. */
  rss: number[];
}

/** One GET, read to the end: time to the first body byte, total time, bytes, the service's RSS. */
function timedGet(s: BenchService, path: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    let bytes = 0;
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(memoryOf(s.pid).rssMb), 250);
    const url = new URL(path, s.url);
    const req = request(
      { host: url.hostname, port: url.port, path, headers: { authorization: `Bearer ${s.token}` } },
      (res) => {
        res.on('data', (c: Buffer) => {
          if (!first) first = performance.now();
          bytes += c.length;
        });
        res.on('end', () => {
          clearInterval(sampler);
          resolve({
            status: res.statusCode ?? 0,
            firstByteMs: first - started,
            ms: performance.now() - started,
            bytes,
            rss,
          });
        });
      },
    );
    req.on('error', (err) => {
      clearInterval(sampler);
      reject(err);
    });
    req.end();
  });
}

export interface LabelsBenchOptions {
  dir: string;
  small: number;
  large: number;
  say: (line: string) => void;
}

const WARM = 20;
const mean = (a: number, b: number) => (a + b) / 2;
const mb = (v: number) => `${v.toFixed(0)} MB`;

/** RSS over a stream: the samples at its tenths, so a reader sees whether it stays flat. */
function rssCourse(samples: number[]): string {
  if (samples.length < 2) return '';
  const at = [0, 0.25, 0.5, 0.75, 1].map(
    (q) => samples[Math.min(samples.length - 1, Math.round(q * (samples.length - 1)))]!,
  );
  return at.map((v) => v.toFixed(0)).join(' → ');
}

/**
 * The ceiling, and GET /labels/items.pdf (4x2) for `small` and `large` labels from the service run
 * as a deployment runs it (built, then `node dist/server.js`, LOG_LEVEL=info, a clerk's bearer
 * token; its memory read from /proc). Both sides are warmed first (the ceiling by a short run, the
 * service by one small print job), and the ceiling is measured before and after each of our
 * requests: each ratio is to the mean of the two around it, so load that comes and goes on a
 * shared machine weighs on both sides alike.
 */
export async function labelsBench(o: LabelsBenchOptions): Promise<Metric[]> {
  const dir = join(o.dir, 'labels');
  mkdirSync(dir, { recursive: true });
  o.say(`labels: registering ${o.large} items`);
  const seed = spawnTs(SEED, [
    'seed',
    join(dir, 'custody.db'),
    join(dir, 'checkpoint.key'),
    String(WARM),
    String(o.small),
    String(o.large - o.small - WARM),
  ]);
  const { line: seeded } = await firstLine(seed);
  const { caseId, warmSeizureId, smallSeizureId } = JSON.parse(seeded) as Record<string, string>;
  await new Promise((r) => (seed.exitCode === null ? seed.once('exit', r) : r(null)));

  const ceiling = async () => {
    const r = await bareLabels(o.small);
    o.say(`labels: ceiling ${r.perSec.toFixed(0)} labels/s`);
    return r;
  };
  o.say(`labels: ceiling, bare bwip-js → pdfkit, ${o.small} labels 4x2 (after ${WARM} to warm up)`);
  await bareLabels(WARM);
  const c1 = await ceiling();
  const s = await startService(dir, 'info');
  const metrics: Metric[] = [];
  try {
    const idle = memoryOf(s.pid).rssMb;
    const warm = await timedGet(s, `/api/v1/labels/items.pdf?seizureId=${warmSeizureId}&format=4x2`);
    if (warm.status !== 200) throw new Error(`warm-up print job: HTTP ${warm.status}`);
    const runs: { n: number; r: Timed; ceilings: [number, number] }[] = [];
    let before = c1.perSec;
    for (const [n, query] of [
      [o.small, `seizureId=${smallSeizureId}`],
      [o.large, `caseId=${caseId}`],
    ] as const) {
      o.say(`labels: GET /labels/items.pdf, ${n} labels 4x2`);
      const r = await timedGet(s, `/api/v1/labels/items.pdf?${query}&format=4x2`);
      const after = (await ceiling()).perSec;
      runs.push({ n, r, ceilings: [before, after] });
      before = after;
    }
    const peak = memoryOf(s.pid).peakMb;
    const all = [c1.perSec, ...runs.map((x) => x.ceilings[1])];
    metrics.push({
      group: 'labels',
      name: `bare bwip-js → pdfkit, ${o.small.toLocaleString('en-US')} labels 4x2 (ceiling)`,
      value: all.reduce((a, b) => a + b, 0) / all.length,
      unit: 'labels/s',
      ratio: null,
      detail: `${(c1.bytes / o.small / 1024).toFixed(1)} KB a label; runs ${all.map((v) => v.toFixed(0)).join(', ')} labels/s (before, between and after the requests)`,
    });
    for (const { n, r, ceilings } of runs) {
      const perSec = n / (r.ms / 1000);
      const last = n === o.large;
      metrics.push({
        group: 'labels',
        name: `GET /labels/items.pdf, ${n.toLocaleString('en-US')} labels 4x2`,
        value: perSec,
        unit: 'labels/s',
        ratio: perSec / mean(...ceilings),
        ceiling: 'bare bwip-js → pdfkit (mean of the runs before and after)',
        goal: last ? '≥ 0.8×, first byte < 1 s, peak RSS < 200 MB' : '≥ 0.8×, first byte < 1 s',
        detail:
          `HTTP ${r.status}, first byte ${r.firstByteMs.toFixed(0)} ms, ${(r.ms / 1000).toFixed(1)} s, ` +
          `${(r.bytes / n / 1024).toFixed(1)} KB a label, service RSS ${rssCourse(r.rss)} MB` +
          (last ? `; service idle ${mb(idle)}, peak ${mb(peak)} (goal < 200 MB)` : ''),
        ...(last ? { peakRssMb: peak } : {}),
      });
    }
  } finally {
    await s.stop();
  }
  return metrics;
}
