/**
 * The reports stage's processes, each alone so its peak RSS is its own (the service itself runs as
 * deployed, dist/server.js; see reports.ts):
 *   reports-child.ts build <db> <key> <items>   the demo data set of <items> items, and a token of
 *                                                its prosecutor; prints { items, events, token,
 *                                                caseId, caseItems } (the largest case)
 *   reports-child.ts bare <pages> [glyphs]       bare pdfkit: 40 rows × 6 cells, header, "Page i of n"
 *                                                (with `glyphs`: its text drawn as the reports draw it)
 * Each prints one JSON line.
 */
import PDFDocument from 'pdfkit';
import { createContext } from '../../src/context';
import { openDb } from '../../src/db/open';
import { loadOrCreateSigner } from '../../src/ledger/signer';
import { FONTS } from '../../src/lib/fonts';
import { planDemo, sizeFor } from '../../src/modules/demo/demo.generator';
import { loadDemo } from '../../src/modules/demo/demo.loader';
import { trimFontCaches } from '../../src/modules/reports/pdf/document';
import { drawGlyphs } from '../../src/modules/reports/pdf/glyphs';
import * as users from '../../src/modules/users/users.service';

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const [mode, ...args] = process.argv.slice(2);

async function build(dbPath: string, keyPath: string, items: number) {
  const db = openDb(dbPath);
  const ctx = createContext({ db, signer: loadOrCreateSigner(keyPath), checkpointIntervalMs: 0 });
  const result = loadDemo(ctx, planDemo(sizeFor(items), 2022));
  const prosecutor = users.listUsers(db).find((u) => u.role === 'prosecutor')!;
  const token = ctx.ledger.writeNow((tx) => users.issueToken(tx, prosecutor.id, 'system').token);
  const largest = db.sqlite
    .prepare(
      'SELECT case_id AS caseId, count(*) AS caseItems FROM items GROUP BY case_id ORDER BY 2 DESC LIMIT 1',
    )
    .get() as { caseId: string; caseItems: number };
  await ctx.ledger.close();
  db.sqlite.close();
  return { items: result.totals.items, events: result.events, token, ...largest };
}

// A custody table's kind of text: repeated, as a real table's names, places and events are (the
// ceiling once drew a distinct made-up word in every cell, which no custody table has: pdfkit then
// lays out every word anew, and the ceiling fell to a quarter of what bare pdfkit does on a real
// table). Each row still has one distinct cell, as a report's seq column is.
const CELLS = [
  '2022-03-14 09:30 +05:00',
  'Received into the warehouse',
  'Ekibastuz WH-1 › Room 2',
  'purpose: court hearing',
  'seal KZ-FMA 0990001',
  'Айгүл Қасымова (clerk)',
  '2022-03-15 11:00 +05:00',
  'Moved',
  'Shelf A → Shelf B',
  'reason: Room 1 reorganised',
  'seal intact',
  'Дана Исқақова (supervisor)',
];

/**
 * `pdfkit`: text() as pdfkit draws it (OpenType shaping of each new word); `glyphs`: the same pages
 * drawn glyph by glyph as the reports draw their text (src/modules/reports/pdf/glyphs.ts).
 */
async function bare(pages: number, how: 'pdfkit' | 'glyphs') {
  const t0 = performance.now();
  const doc = new PDFDocument({ autoFirstPage: false, pdfVersion: '1.7' });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  let bytes = 0;
  doc.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  const ended = new Promise((r) => doc.on('end', r));
  for (let p = 1; p <= pages; p++) {
    doc.addPage({ size: 'A4', margin: 0 });
    const text = (s: string, x: number, y: number, size: number) =>
      how === 'glyphs'
        ? drawGlyphs(doc, s, x, y, size)
        : doc.fontSize(size).text(s, x, y, { lineBreak: false });
    doc.font('bold');
    text(`Case 12/345-2022 · Custody report`, 42, 30, 10);
    doc.font('regular');
    for (let r = 0; r < 40; r++) {
      for (let c = 0; c < 6; c++) {
        const cell = c === 5 ? String(p * 40 + r) : CELLS[(r * 5 + c) % CELLS.length]!;
        text(cell, 42 + c * 85, 74 + r * 18, 7.5);
      }
    }
    text(`Page ${p} of ${pages}`, 500, 812, 8);
    // pdfkit caches the layout of every distinct word forever, and each entry holds on to a lot:
    // the bare loop grows by about 1 MB a page without this (the report does the same, see trimFontCaches).
    if (p % 64 === 0) trimFontCaches(doc);
    await new Promise((r) => setImmediate(r));
  }
  doc.end();
  await ended;
  const ms = performance.now() - t0;
  return { pages, ms, bytes, pagesPerSec: pages / (ms / 1000) };
}

const run =
  mode === 'build'
    ? build(args[0]!, args[1]!, Number(args[2]))
    : mode === 'bare'
      ? bare(Number(args[0]), args[1] === 'glyphs' ? 'glyphs' : 'pdfkit')
      : Promise.reject(new Error('usage: reports-child.ts build|bare …'));
run
  .then((r) => process.stdout.write(`${JSON.stringify({ ...r, peakRssMb: peakRssMb() })}\n`))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
