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
  return doc;
}

/**
 * pdfkit keeps each finished page's dictionary (and through it its resources) until the file
 * ends, only to write the page's reference into the page tree: 67,000 pages would hold >100 MB.
 * Once a page is written its reference's id is all that is still needed, so the page tree keeps a
 * bare reference (its id and generation, which is all its "N 0 R" is made of) in its place.
 */
function releasePage(doc: TextDoc, page: PDFKit.PDFPage | undefined): void {
  type Ref = { id: number; gen: number; data: unknown };
  const ref = (page as unknown as { dictionary?: Ref } | undefined)?.dictionary;
  if (!ref) return;
  ref.data = {};
  const kids = (doc as unknown as { _root: { data: { Pages: { data: { Kids: Ref[] } } } } })._root.data.Pages
    .data.Kids;
  const at = kids.lastIndexOf(ref);
  if (at >= 0)
    kids[at] = Object.assign(Object.create(Object.getPrototypeOf(ref)), { id: ref.id, gen: ref.gen });
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
  let finished: PDFKit.PDFPage | undefined;
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
  const addPage = (size: [number, number]) => {
    // addPage writes the page before it (no bufferPages): that page can be let go.
    doc.addPage({ size, margin: 0 });
    releasePage(doc, finished);
    finished = doc.page;
  };
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
  doc.end();
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
