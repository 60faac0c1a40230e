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

const SERVER = fileURLToPath(new URL('./labels-server.ts', import.meta.url));
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

interface Served {
  port: number;
  token: string;
  child: ReturnType<typeof spawnTs>;
  lines: AsyncIterator<string>;
}

async function firstLine(child: ReturnType<typeof spawnTs>) {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exit = new Promise<never>((_, reject) =>
    child.once('exit', (c) => reject(new Error(`labels server exited with ${c}`))),
  );
  const line = await Promise.race([lines.next(), exit]);
  return { line: line.value as string, lines };
}

/** One GET, read to the end: time to the first body byte, total time, bytes. */
function timedGet(
  s: Served,
  path: string,
): Promise<{ status: number; firstByteMs: number; ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    let bytes = 0;
    const req = request(
      { host: '127.0.0.1', port: s.port, path, headers: { authorization: `Bearer ${s.token}` } },
      (res) => {
        res.on('data', (c: Buffer) => {
          if (!first) first = performance.now();
          bytes += c.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            firstByteMs: first - started,
            ms: performance.now() - started,
            bytes,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface LabelsBenchOptions {
  dir: string;
  small: number;
  large: number;
  say: (line: string) => void;
}

/**
 * The ceiling, then GET /labels/items.pdf (4x2) for `small` and `large` labels from the real
 * service in its own process (its peak RSS is measured there), in the same run.
 */
export async function labelsBench(o: LabelsBenchOptions): Promise<Metric[]> {
  o.say(`labels: ceiling, bare bwip-js → pdfkit, ${o.small} labels 4x2`);
  const bare = await bareLabels(o.small);
  const dbPath = join(o.dir, 'labels.db');
  o.say(`labels: registering ${o.large} items`);
  const seed = spawnTs(SERVER, ['seed', dbPath, String(o.small), String(o.large - o.small)]);
  const { line: seeded } = await firstLine(seed);
  const { caseId, smallSeizureId } = JSON.parse(seeded) as { caseId: string; smallSeizureId: string };
  await new Promise((r) => (seed.exitCode === null ? seed.once('exit', r) : r(null)));

  const child = spawnTs(SERVER, ['serve', dbPath]);
  const { line, lines } = await firstLine(child);
  const s: Served = { ...(JSON.parse(line) as { port: number; token: string }), child, lines };
  const metrics: Metric[] = [
    {
      group: 'labels',
      name: `bare bwip-js → pdfkit, ${o.small.toLocaleString('en-US')} labels 4x2 (ceiling)`,
      value: bare.perSec,
      unit: 'labels/s',
      ratio: null,
      detail: `${(bare.bytes / o.small / 1024).toFixed(1)} KB a label`,
    },
  ];
  try {
    for (const [n, query] of [
      [o.small, `seizureId=${smallSeizureId}`],
      [o.large, `caseId=${caseId}`],
    ] as const) {
      o.say(`labels: GET /labels/items.pdf, ${n} labels 4x2`);
      const r = await timedGet(s, `/api/v1/labels/items.pdf?${query}&format=4x2`);
      const perSec = n / (r.ms / 1000);
      metrics.push({
        group: 'labels',
        name: `GET /labels/items.pdf, ${n.toLocaleString('en-US')} labels 4x2`,
        value: perSec,
        unit: 'labels/s',
        ratio: perSec / bare.perSec,
        ceiling: 'bare bwip-js → pdfkit',
        goal: '≥ 0.8×, first byte < 1 s',
        detail: `HTTP ${r.status}, first byte ${r.firstByteMs.toFixed(0)} ms, ${(r.ms / 1000).toFixed(1)} s, ${(r.bytes / n / 1024).toFixed(1)} KB a label`,
      });
    }
  } finally {
    child.kill('SIGTERM');
    const rss = await s.lines.next();
    const peak = rss.value
      ? (JSON.parse(rss.value as string) as { peakRssMb: number }).peakRssMb
      : Number.NaN;
    const last = metrics[metrics.length - 1];
    if (last && last.ratio !== null) {
      last.peakRssMb = peak;
      last.detail = `${last.detail}, service peak RSS ${peak.toFixed(0)} MB (goal < 200 MB)`;
    }
  }
  return metrics;
}
