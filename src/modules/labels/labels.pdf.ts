import PDFDocument from 'pdfkit';
import { trimFontCaches } from '../reports/pdf/document';
import { drawPlan } from './labels.draw-pdf';
import { type LabelFormat, perSheet } from './labels.formats';
import { planItemLabel } from './labels.layout';
import type { LabelItem } from './labels.select';
import type { StreamSink } from './stream-sink';
import { registerLabelFonts, type TextDoc } from './text-fit';

export interface SheetOptions {
  copies: number;
  /** 1-based position of the first label on the first sheet (a half-used sheet). */
  start: number;
  /** Also draw each label's outline: a test print on plain paper, held against the sheet. */
  outline?: boolean;
}

function outline(doc: TextDoc, f: LabelFormat, x: number, y: number): void {
  doc.save();
  doc
    .lineWidth(0.3)
    .strokeColor('#999999')
    .roundedRect(x, y, f.width, f.height, f.sheet ? 5 : 0)
    .stroke();
  doc.restore();
}

export function newLabelDoc(title: string, now: Date): TextDoc {
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    info: { Title: title, Creator: 'Custody Ledger', CreationDate: now },
  });
  registerLabelFonts(doc);
  compactPageTree(doc);
  return doc;
}

interface PageRef {
  id: number;
  gen: number;
}

/** The page tree's Kids as an object pdfkit writes through its toString(), like one reference. */
interface PageList {
  push(ref: PageRef): number;
  toString(): string;
}

/**
 * pdfkit keeps every page's dictionary in the page tree's Kids until the file ends, only to write
 * "N 0 R" for each there: 67,000 pages would hold their dictionaries (and through them their
 * resources), and even bare references cost about 56 bytes a page. The document's Kids becomes a
 * list of page object numbers (4 bytes a page) that writes itself as pdfkit would have written the
 * array, "[3 0 R 6 0 R …]": the same bytes, and a finished page is referenced by nothing.
 * pdfkit writes a value that is one of its references with toString(), so the list takes a
 * reference's prototype (pdfkit does not export the class); the page tree is only read when the
 * document ends (links to pages and outlines, which would read it earlier, are not used here).
 */
function compactPageTree(doc: TextDoc): void {
  const pages = (doc as unknown as { _root: { data: { Pages: { data: { Kids: unknown } } } } })._root.data
    .Pages;
  let ids = new Uint32Array(1024);
  let count = 0;
  const list: PageList = Object.create(Object.getPrototypeOf(Object.getPrototypeOf(pages)));
  list.push = (ref) => {
    if (ref.gen !== 0) throw new Error('pdfkit wrote a page reference of another generation');
    if (count === ids.length) {
      const more = new Uint32Array(ids.length * 2);
      more.set(ids);
      ids = more;
    }
    ids[count++] = ref.id;
    return count;
  };
  list.toString = () => {
    const refs = new Array<string>(count);
    for (let i = 0; i < count; i++) refs[i] = `${ids[i]} 0 R`;
    return `[${refs.join(' ')}]`;
  };
  pages.data.Kids = list;
}

/** What of pdfkit's document the paced ending reads (pdfkit 0.20). */
interface PdfkitEnding {
  _finalize(): void;
  _write(data: string): void;
  push(chunk: null): boolean;
  _offsets: (number | null)[];
  _offset: number;
  _root: { toString(): string };
  _info: { toString(): string };
  _id: Uint8Array;
  _security: unknown;
}

/** Cross-reference lines written between two paces of the sink (about 40 KB). */
const XREF_SLICE = 2000;

/**
 * Ends the document as pdfkit's end() does, but writes its cross-reference table (one 20-byte line
 * per object: three objects a label, 4 MB for 67,000 labels) in slices paced to the client instead
 * of all at once into the socket's buffer. pdfkit's own _finalize is kept from running inside
 * end(); the table and trailer are then written with the same bytes it writes (a test compares).
 * A document with encryption, which this never makes, is left to pdfkit.
 */
async function endPaced(doc: TextDoc, sink: StreamSink): Promise<void> {
  const d = doc as unknown as PdfkitEnding;
  if (d._security) {
    doc.end();
    return;
  }
  let due = false;
  d._finalize = () => {
    due = true;
  };
  doc.end();
  if (!due) throw new Error('pdfkit did not finish the document in end()');
  const xref = d._offset;
  d._write('xref');
  d._write(`0 ${d._offsets.length + 1}`);
  d._write('0000000000 65535 f ');
  for (let i = 0; i < d._offsets.length; i++) {
    d._write(`${`0000000000${d._offsets[i]}`.slice(-10)} 00000 n `);
    if (i % XREF_SLICE === XREF_SLICE - 1) {
      await sink.pace();
      if (sink.aborted) return;
    }
  }
  const id = `<${Buffer.from(d._id).toString('hex')}>`;
  d._write('trailer');
  d._write(
    [
      '<<',
      `/Size ${d._offsets.length + 1}`,
      `/Root ${d._root}`,
      `/Info ${d._info}`,
      `/ID [${id} ${id}]`,
      '>>',
    ].join('\n'),
  );
  d._write('startxref');
  d._write(`${xref}`);
  d._write('%%EOF');
  d.push(null);
}

/** How a stream ended: `finished` false when the client went away; `drawn` labels were drawn. */
export interface StreamResult {
  finished: boolean;
  drawn: number;
}

/**
 * Draws labels onto pages of the format — one page per label on a roll, a grid of labels per
 * sheet — and streams the document into `sink`, yielding between pages. Each item's copies sit
 * side by side. Stops early (without finishing the file) when the client goes away.
 */
export async function streamLabelPages<T>(
  sink: StreamSink,
  doc: TextDoc,
  f: LabelFormat,
  pages: Iterable<T[]>,
  opts: SheetOptions,
  draw: (doc: TextDoc, item: T, x: number, y: number) => void,
): Promise<StreamResult> {
  doc.on('data', (chunk: Buffer) => sink.write(chunk));
  const ended = new Promise((r) => doc.once('end', r));
  const grid = f.sheet;
  let slot = grid ? opts.start - 1 : 0;
  let open = false;
  let drawn = 0;
  /**
   * pdfkit lays a line out (fontkit shaping) for every measure and every draw — four times a line
   * here — unless its per-word cache holds it; but that cache keeps every distinct word of the
   * document (each label's numbers are new words), and entries kept across labels outlive the young
   * generation and pile up as old garbage (tens of MB between full collections). So the cache is on
   * and emptied after each label: each line is shaped once, and nothing outlives its label.
   */
  const drawOne = (item: T, x: number, y: number) => {
    draw(doc, item, x, y);
    if (opts.outline) outline(doc, f, x, y);
    trimFontCaches(doc);
    drawn += 1;
  };
  // addPage writes the page before it (no bufferPages); nothing keeps it afterwards (see compactPageTree).
  const addPage = (size: [number, number]) => doc.addPage({ size, margin: 0 });
  for (const page of pages) {
    for (const item of page) {
      for (let c = 0; c < opts.copies; c++) {
        if (!grid) {
          addPage([f.width, f.height]);
          drawOne(item, 0, 0);
          await sink.pace();
          if (sink.aborted) return { finished: false, drawn };
          continue;
        }
        if (!open) {
          addPage([grid.page.width, grid.page.height]);
          open = true;
        }
        const col = slot % grid.columns;
        const row = Math.floor(slot / grid.columns);
        const x = grid.left + col * grid.pitchX;
        const y = grid.top + row * grid.pitchY;
        drawOne(item, x, y);
        slot += 1;
        if (slot === perSheet(f)) {
          slot = 0;
          open = false;
          await sink.pace();
          if (sink.aborted) return { finished: false, drawn };
        }
      }
    }
  }
  await endPaced(doc, sink);
  if (sink.aborted) return { finished: false, drawn };
  await ended;
  sink.end();
  return { finished: true, drawn };
}

export function streamItemLabelsPdf(
  sink: StreamSink,
  doc: TextDoc,
  f: LabelFormat,
  pages: Iterable<LabelItem[]>,
  opts: SheetOptions,
) {
  return streamLabelPages(sink, doc, f, pages, opts, (d, item, x, y) =>
    drawPlan(d, planItemLabel(f, item), x, y),
  );
}
