import { Session } from 'node:inspector/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import { drawPlan } from '../../src/modules/labels/labels.draw-pdf';
import { FORMATS } from '../../src/modules/labels/labels.formats';
import { planItemLabel } from '../../src/modules/labels/labels.layout';
import { newLabelDoc, streamItemLabelsPdf } from '../../src/modules/labels/labels.pdf';
import type { LabelItem } from '../../src/modules/labels/labels.select';
import { StreamSink } from '../../src/modules/labels/stream-sink';
import { trimFontCaches } from '../../src/modules/reports/pdf/document';

/** `n` labels in pages of 10, counting how many the writer has asked for. */
function source(n: number) {
  const pulled = { items: 0 };
  function* pages(): Generator<LabelItem[]> {
    for (let i = 0; i < n; i += 10) {
      const page: LabelItem[] = [];
      for (let j = i; j < Math.min(n, i + 10); j++) {
        const ev = formatEvidenceNo(26, j + 1);
        page.push({
          evidenceNo: ev.compact,
          printed: ev.printed,
          caseNumber: '12/345-2022',
          site: 'Қуат',
          seizedOn: '2022-02-14',
          category: 'asic_miner',
          make: 'Bitmain',
          model: 'S19',
          serialNumber: `HTX${j}`,
          sealNo: null,
          quantity: 1,
          unit: 'pcs',
        });
      }
      pulled.items += page.length;
      yield page;
    }
  }
  return { pulled, pages: pages() };
}

const opts = { copies: 1, start: 1 };

/** A full garbage collection, through the inspector (no --expose-gc needed). */
async function collectGarbage() {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.collectGarbage');
  } finally {
    session.disconnect();
  }
}

/** The page tree's page count and its Kids, as written. */
const kidsOf = (pdf: string) => /\/Type \/Pages\n\/Count (\d+)\n\/Kids \[([^\]]*)\]/.exec(pdf);

describe('label streams', () => {
  it('stop rendering when the client goes away', async () => {
    const { pulled, pages } = source(2_000);
    let chunks = 0;
    const out: Writable = new Writable({
      write(_c, _e, cb) {
        chunks += 1;
        if (chunks === 3) out.destroy();
        cb();
      },
    });
    const { finished, drawn } = await streamItemLabelsPdf(
      new StreamSink(out),
      newLabelDoc('t', new Date()),
      FORMATS['4x2'],
      pages,
      opts,
    );
    expect(finished).toBe(false);
    expect(pulled.items).toBeLessThan(100);
    expect(drawn).toBeLessThanOrEqual(pulled.items);
  });

  it('wait for drain: a client that reads slowly holds the rendering back', async () => {
    const { pulled, pages } = source(60);
    const held: (() => void)[] = [];
    let bytes = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(c: Buffer, _e, cb) {
        bytes += c.length;
        held.push(cb);
      },
    });
    const done = streamItemLabelsPdf(
      new StreamSink(out),
      newLabelDoc('t', new Date()),
      FORMATS['4x2'],
      pages,
      opts,
    );
    // Long enough to render all 60 if nothing held it back (about 0.4 s unthrottled).
    await new Promise((r) => setTimeout(r, 1500));
    // Nothing acknowledged: the writer stopped once 16 KB (about ten labels) were waiting.
    expect(pulled.items).toBeLessThanOrEqual(20);
    const releaseAll = () => {
      for (const cb of held.splice(0)) cb();
    };
    const release = setInterval(releaseAll, 1);
    expect((await done).finished).toBe(true);
    clearInterval(release);
    releaseAll();
    expect(pulled.items).toBe(60);
    expect(bytes).toBeGreaterThan(60 * 1000);
  });

  it('keep nothing of a finished page: memory does not grow with the pages drawn', async () => {
    const n = 60;
    const { pages } = source(n);
    const doc = newLabelDoc('t', new Date(0));
    // Each page's dictionary and the page itself, watched without being kept.
    const watched: WeakRef<object>[] = [];
    doc.on('pageAdded', () => {
      watched.push(
        new WeakRef(doc.page),
        new WeakRef((doc.page as unknown as { dictionary: object }).dictionary),
      );
    });
    const parts: Buffer[] = [];
    const out = new Writable({
      write(c: Buffer, _e, cb) {
        parts.push(c);
        cb();
      },
    });
    expect((await streamItemLabelsPdf(new StreamSink(out), doc, FORMATS['4x2'], pages, opts)).finished).toBe(
      true,
    );
    await new Promise((r) => setImmediate(r));
    await collectGarbage();
    // The document is still held here: only its last page (doc.page) may still be reachable.
    const alive = watched.filter((w) => w.deref() !== undefined).length;
    expect(watched).toHaveLength(2 * n);
    expect(alive).toBeLessThanOrEqual(2);
    // The page tree still names every page, in order, as pdfkit writes it.
    const pdf = Buffer.concat(parts).toString('latin1');
    const kids = kidsOf(pdf);
    expect(kids?.[1]).toBe(String(n));
    const ids = (kids?.[2] ?? '')
      .split(' 0 R')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    expect(ids).toHaveLength(n);
    for (const id of ids) expect(pdf).toContain(`\n${id} 0 obj\n<<\n/Type /Page\n`);
  });

  it('end the file in paced slices with the bytes pdfkit writes when it ends a document itself', async () => {
    // 700 labels: 2,100 objects, so the cross-reference table is written in more than one slice.
    const n = 700;
    const f = FORMATS['2x1'];
    const parts: Buffer[] = [];
    const out = new Writable({
      write(c: Buffer, _e, cb) {
        parts.push(c);
        setImmediate(cb);
      },
    });
    const { pages } = source(n);
    const result = await streamItemLabelsPdf(
      new StreamSink(out),
      newLabelDoc('t', new Date(0)),
      f,
      pages,
      opts,
    );
    expect(result).toEqual({ finished: true, drawn: n });
    // The same labels drawn straight into pdfkit, ended by pdfkit's own end().
    const doc = newLabelDoc('t', new Date(0));
    const plain: Buffer[] = [];
    doc.on('data', (c: Buffer) => plain.push(c));
    const ended = new Promise((r) => doc.once('end', r));
    for (const page of source(n).pages)
      for (const item of page) {
        doc.addPage({ size: [f.width, f.height], margin: 0 });
        drawPlan(doc, planItemLabel(f, item), 0, 0);
        trimFontCaches(doc);
      }
    doc.end();
    await ended;
    const paced = Buffer.concat(parts);
    expect(paced.subarray(-40).toString('latin1')).toContain('%%EOF');
    expect(paced.equals(Buffer.concat(plain))).toBe(true);
  });
});
