import { drawCode, type ReportCode } from './barcode';
import type { ReportFont } from './document';
import { trimFontCaches } from './document';
import { ForwardRefs } from './forward';
import { collectGarbage } from './gc';
import { drawGlyphs } from './glyphs';
import { measurer, type WrapMode } from './measure';

/** Pages between forced collections on a long report (see gc.ts). */
const GC_EVERY = 150;

/** A4 portrait, in points. */
export const PAGE = { width: 595.28, height: 841.89, left: 42, right: 553.28, top: 74, bottom: 796 } as const;
const CONTENT_WIDTH = PAGE.right - PAGE.left;

const INK = '#000000';
const MUTED = '#4d4d4d';
const RULE = '#9a9a9a';
const HEAD_FILL = '#e6e6e6';

export interface PageSetup {
  /** The first header line on every page, e.g. the case number and the report's subject. */
  header: string;
  /** A second, smaller header line, e.g. the case title. */
  subheader?: string;
  /**
   * Left of the footer on every page, e.g. the checkpoint and the fingerprint. Footers are painted
   * when the document ends (see ReportWriter.footer), so a report may learn its footer as it goes.
   */
  footer?: string;
}

export interface Column {
  header: string;
  /** Points; the last column takes what is left when omitted. */
  width?: number;
  font?: ReportFont;
  /** Where the cells' lines may break (measure.ts); at spaces by default. */
  wrap?: WrapMode;
}

export interface RowStyle {
  font?: ReportFont;
  fill?: string;
}

/** How the writer paces a streamed document: called between pages; throws to stop (client gone). */
export type Pace = () => Promise<void>;

interface Table {
  columns: { header: string; x: number; width: number; font: ReportFont; wrap: WrapMode }[];
  /** Each column's header, wrapped: header lines per column. */
  headerLines: string[][];
  size: number;
}

/**
 * Lays out a report page by page, in one pass: a header and "Page i of n" on every page, headings,
 * label/value fields, paragraphs and tables whose long text wraps and whose header repeats on each
 * page. Each page is written out (and streamed) as soon as the next one starts.
 *
 * Each page's footer line ("Checkpoint … · fingerprint …" and "Page i of n") is a forward
 * reference (forward.ts): the page draws a form XObject that finish() paints once the page count
 * and the footer text are known. Breaks are decided by the one measurer, never by pdfkit (the pages
 * have no margins): that is what keeps a footer from spilling onto a blank page.
 */
export class ReportWriter {
  pageCount = 0;
  y: number = PAGE.top;
  private table: Table | null = null;
  private pagesAtLastBreath = 0;
  private readonly m = measurer();
  private readonly forward: ForwardRefs;
  private footerText: string | undefined;
  /** The fill colour the content stream being written has set last (null: not known). */
  private color: string | null = null;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly setup: PageSetup,
    private readonly pace: Pace = () => new Promise((r) => setImmediate(r)),
  ) {
    this.forward = new ForwardRefs(doc);
    this.footerText = setup.footer;
  }

  /** Starts the first page. */
  begin(): this {
    this.newPage();
    return this;
  }

  /** Where the current page's content may go down to. */
  get bottom(): number {
    return PAGE.bottom;
  }

  get remaining(): number {
    return PAGE.bottom - this.y;
  }

  newPage(): void {
    this.pageCount += 1;
    this.y = PAGE.top;
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.color = null;
    this.drawPageFrame(this.doc);
    if (this.table) this.drawTableHeader();
  }

  /** Moves to a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.y + height > PAGE.bottom && this.y > PAGE.top) this.newPage();
  }

  space(points: number): void {
    this.y += points;
    if (this.y > PAGE.bottom) this.newPage();
  }

  heading(text: string, size = 13): void {
    const lh = size * 1.3;
    const lines = this.m.wrap(text, 'bold', size, CONTENT_WIDTH);
    // A heading never sits alone at the foot of a page.
    this.ensure(lines.length * lh + 40);
    this.lines(lines, PAGE.left, 'bold', size, lh, INK);
    this.y += 4;
  }

  paragraph(
    text: string,
    options: { font?: ReportFont; size?: number; color?: string; indent?: number } = {},
  ) {
    const size = options.size ?? 9.5;
    const font = options.font ?? 'regular';
    const lh = size * 1.3;
    const x = PAGE.left + (options.indent ?? 0);
    for (const line of this.m.wrap(text, font, size, PAGE.right - x)) {
      this.ensure(lh);
      this.lines([line], x, font, size, lh, options.color ?? INK);
    }
    this.y += 3;
  }

  /** Label / value pairs, one per line; long values wrap under themselves. */
  fields(pairs: readonly (readonly [string, string])[], labelWidth = 118, size = 9.5): void {
    const lh = size * 1.3;
    const valueX = PAGE.left + labelWidth;
    for (const [label, value] of pairs) {
      const labelLines = this.m.wrap(label, 'bold', size, labelWidth - 6);
      const valueLines = this.m.wrap(value, 'regular', size, PAGE.right - valueX);
      const height = Math.max(labelLines.length, valueLines.length) * lh;
      this.ensure(height <= PAGE.bottom - PAGE.top ? height : labelLines.length * lh);
      const y = this.y;
      this.lines(labelLines, PAGE.left, 'bold', size, lh, MUTED);
      const belowLabel = this.y;
      this.y = y;
      this.lines(valueLines, valueX, 'regular', size, lh, INK);
      this.y = Math.max(this.y, belowLabel);
    }
    this.y += 4;
  }

  beginTable(columns: readonly Column[], size = 8): void {
    let x = PAGE.left;
    const fixed = columns.reduce((s, c) => s + (c.width ?? 0), 0);
    const flexible = columns.filter((c) => c.width === undefined).length;
    const flexWidth = flexible > 0 ? (CONTENT_WIDTH - fixed) / flexible : 0;
    const cols = columns.map((c) => {
      const width = c.width ?? flexWidth;
      const col = {
        header: c.header,
        x,
        width,
        font: c.font ?? ('regular' as ReportFont),
        wrap: c.wrap ?? 'words',
      };
      x += width;
      return col;
    });
    const wrapped = cols.map((c) => this.m.wrap(c.header, 'bold', size, c.width - 5));
    const depth = Math.max(...wrapped.map((w) => w.length));
    this.table = {
      columns: cols,
      headerLines: wrapped.map((w) => [...w, ...Array(depth - w.length).fill('')]),
      size,
    };
    this.ensure(this.headerHeight() + size * 1.25 * 2 + 6);
    this.drawTableHeader();
  }

  endTable(): void {
    this.table = null;
    this.y += 8;
  }

  /** One table row; a cell's text wraps within its column, and a row taller than a page continues. */
  row(cells: readonly string[], style: RowStyle = {}): void {
    const table = this.table;
    if (!table) throw new Error('row() outside a table');
    const size = table.size;
    const lh = size * 1.25;
    const pad = 2.5;
    const cellLines = table.columns.map((c, i) =>
      this.m.wrap(cells[i] ?? '', style.font ?? c.font, size, c.width - 2 * pad, c.wrap),
    );
    let from = 0;
    let total = Math.max(1, ...cellLines.map((l) => l.length));
    const fullPage = Math.floor((PAGE.bottom - PAGE.top - this.headerHeight() - 2 * pad) / lh);
    // A row that fits on a fresh page is never split.
    if (total <= fullPage) this.ensure(total * lh + 2 * pad);
    while (total > 0) {
      let fit = Math.floor((this.remaining - 2 * pad) / lh);
      if (fit < 1) {
        this.newPage();
        fit = Math.floor((this.remaining - 2 * pad) / lh);
      }
      const n = Math.min(fit, total);
      const height = n * lh + 2 * pad;
      const doc = this.doc;
      if (style.fill) this.fillRect(this.y, height, style.fill);
      table.columns.forEach((c, i) => {
        const lines = cellLines[i]!.slice(from, from + n);
        let y = this.y + pad;
        for (const line of lines) {
          if (line !== '') this.text(line, c.x + pad, y, style.font ?? c.font, size, INK);
          y += lh;
        }
      });
      doc
        .moveTo(PAGE.left, this.y + height)
        .lineTo(PAGE.right, this.y + height)
        .lineWidth(0.4)
        .strokeColor(RULE)
        .stroke();
      this.y += height;
      from += n;
      total -= n;
      if (total > 0) this.newPage();
    }
  }

  /**
   * A full-width row inside a table (e.g. the item a case report's following rows belong to); it
   * never sits alone at the foot of a page.
   */
  band(text: string, fill = '#eef2f7', keepWith = 1): void {
    const table = this.table;
    if (!table) throw new Error('band() outside a table');
    const size = table.size;
    const lh = size * 1.25;
    const pad = 2.5;
    const lines = this.m.wrap(text, 'bold', size, CONTENT_WIDTH - 2 * pad);
    const height = lines.length * lh + 2 * pad;
    this.ensure(height + keepWith * (lh + 2 * pad));
    this.fillRect(this.y, height, fill);
    let y = this.y + pad;
    for (const line of lines) {
      this.text(line, PAGE.left + pad, y, 'bold', size, INK);
      y += lh;
    }
    this.y += height;
  }

  /**
   * A barcode or QR code in a box of width × height at x (default: the left edge), drawn as vector
   * paths (barcode.ts), then moves below the box.
   */
  code(
    code: ReportCode,
    width: number,
    height: number,
    x: number = PAGE.left,
    align?: 'left' | 'right',
  ): void {
    this.ensure(height);
    drawCode(this.doc, code, { x, y: this.y, width, height }, align);
    this.y += height;
  }

  /**
   * Sets the footer's left text (e.g. once the report's fingerprint is known): every page's footer,
   * those already sent included, shows the text set last, since footers are painted at finish().
   */
  footer(text: string): void {
    this.footerText = text;
  }

  /** Between pages, lets the event loop run and waits for the reader (the pace function). */
  async breathe(): Promise<void> {
    if (this.pageCount === this.pagesAtLastBreath) return;
    if (Math.floor(this.pageCount / 64) !== Math.floor(this.pagesAtLastBreath / 64)) trimFontCaches(this.doc);
    if (Math.floor(this.pageCount / GC_EVERY) !== Math.floor(this.pagesAtLastBreath / GC_EVERY))
      collectGarbage();
    this.pagesAtLastBreath = this.pageCount;
    await this.pace();
  }

  /** Ends the layout: paints every page's footer and "Page i of n"; returns the number of pages. */
  finish(): number {
    this.table = null;
    this.forward.resolve();
    return this.pageCount;
  }

  private headerHeight(): number {
    // headerLines holds one list per column, each as deep as the deepest header.
    return this.table ? (this.table.headerLines[0]?.length ?? 1) * this.table.size * 1.25 + 6 : 0;
  }

  private drawTableHeader(): void {
    const table = this.table;
    if (!table) return;
    const size = table.size;
    const lh = size * 1.25;
    const height = this.headerHeight() - 1;
    this.fillRect(this.y, height, HEAD_FILL);
    table.columns.forEach((c, i) => {
      let y = this.y + 2.5;
      for (const line of table.headerLines[i] ?? []) {
        this.text(line, c.x + 2.5, y, 'bold', size, INK);
        y += lh;
      }
    });
    this.y += height + 1;
  }

  private lines(
    lines: readonly string[],
    x: number,
    font: ReportFont,
    size: number,
    lh: number,
    color: string,
  ) {
    for (const line of lines) {
      if (this.y + lh > PAGE.bottom) this.newPage();
      if (line !== '') this.text(line, x, this.y, font, size, color);
      this.y += lh;
    }
  }

  /** A full-width filled band (a table header, a band row, a highlighted row). */
  private fillRect(y: number, height: number, color: string): void {
    this.doc.rect(PAGE.left, y, CONTENT_WIDTH, height).fill(color);
    this.color = color;
  }

  /** One line of text, its top at y: glyph by glyph (glyphs.ts), the fill colour set only when it changes. */
  private text(text: string, x: number, y: number, font: ReportFont, size: number, color: string): void {
    const doc = this.doc.font(font);
    if (color !== this.color) {
      doc.fillColor(color);
      this.color = color;
    }
    drawGlyphs(doc, text, x, y, size);
  }

  private drawPageFrame(doc: PDFKit.PDFDocument): void {
    const { header, subheader } = this.setup;
    this.text(this.fit(header, 'bold', 10, CONTENT_WIDTH), PAGE.left, 30, 'bold', 10, INK);
    if (subheader)
      this.text(this.fit(subheader, 'regular', 8, CONTENT_WIDTH), PAGE.left, 44, 'regular', 8, MUTED);
    doc.moveTo(PAGE.left, 58).lineTo(PAGE.right, 58).lineWidth(0.6).strokeColor(RULE).stroke();
    doc.moveTo(PAGE.left, 806).lineTo(PAGE.right, 806).lineWidth(0.6).strokeColor(RULE).stroke();
    const i = this.pageCount;
    this.forward.place(() => this.drawFooter(i));
  }

  /** Page i's footer line, painted at finish(): the footer text, and "Page i of n" on the right. */
  private drawFooter(i: number): void {
    this.color = null; // a form of its own: its colour is set afresh
    const page = `Page ${i} of ${this.pageCount}`;
    const pageWidth = this.m.width(page, 'regular', 8);
    this.text(page, PAGE.right - pageWidth, 812, 'regular', 8, INK);
    const footer = this.footerText;
    if (footer)
      this.text(
        this.fit(footer, 'regular', 7, CONTENT_WIDTH - pageWidth - 12),
        PAGE.left,
        812,
        'regular',
        7,
        MUTED,
      );
  }

  /** One line of header or footer text: shortened with an ellipsis when it is too long. */
  private fit(text: string, font: ReportFont, size: number, width: number): string {
    if (this.m.width(text, font, size) <= width) return text;
    let t = text;
    while (t.length > 1 && this.m.width(`${t}…`, font, size) > width) t = t.slice(0, -1);
    return `${t}…`;
  }
}
