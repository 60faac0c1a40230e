import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

interface ReportRun {
  status: number;
  items: number;
  pages: number;
  firstByteMs: number;
  ms: number;
  pagesPerSec: number;
  peakRssMb: number;
}

/**
 * The case report of the demo data set's largest case (`items` items in the whole set; the seed
 * scale is 67,000), over HTTP, against bare pdfkit drawing as many table pages (40 rows × 6 cells,
 * a header, "Page i of n") in the same run. Each in its own process.
 */
export async function reportsBench(o: {
  dir: string;
  items: number;
  say: (l: string) => void;
}): Promise<Metric[]> {
  const db = join(o.dir, 'reports.db');
  const key = join(o.dir, 'reports.key');
  o.say(`reports: demo data set of ${o.items.toLocaleString('en-US')} items`);
  await child(['build', db, key, String(o.items)]);
  o.say('reports: the largest case’s report.pdf over HTTP');
  const ours = await child<ReportRun>(['report', db, key]);
  if (ours.status !== 200) throw new Error(`the case report answered ${ours.status}`);
  o.say(`reports: bare pdfkit, ${ours.pages} pages`);
  const bare = await child<{ pages: number; ms: number; pagesPerSec: number; peakRssMb: number }>([
    'bare',
    String(ours.pages),
  ]);
  return [
    {
      group: 'reports',
      name: 'bare pdfkit table pages',
      value: bare.pagesPerSec,
      unit: 'pages/s',
      ratio: null,
      peakRssMb: bare.peakRssMb,
      detail: `${bare.pages} pages of 40 rows × 6 cells, header, "Page i of n", embedded font, layout cache dropped every 64 pages; peak RSS ${bare.peakRssMb.toFixed(0)} MB`,
    },
    {
      group: 'reports',
      name: 'GET /cases/:id/report.pdf',
      value: ours.pagesPerSec,
      unit: 'pages/s',
      ratio: ours.pagesPerSec / bare.pagesPerSec,
      ceiling: 'bare pdfkit table pages',
      goal: '≥ 0.8×, first byte < 1 s, peak RSS < 300 MB',
      peakRssMb: ours.peakRssMb,
      detail: `${ours.items.toLocaleString('en-US')} items, ${ours.pages} pages in ${(ours.ms / 1000).toFixed(1)} s, first byte ${ours.firstByteMs.toFixed(0)} ms (pages counted and payload hashed first), peak RSS ${ours.peakRssMb.toFixed(0)} MB (whole service process)`,
    },
  ];
}
