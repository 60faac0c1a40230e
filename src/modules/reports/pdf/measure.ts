import PDFDocument from 'pdfkit';
import { type ReportFont, reportFonts } from './document';

/**
 * Text widths from the fonts' advance widths, cached per character: the layout of a report is
 * computed twice (count the pages, then draw them), so measuring must be cheap and must not depend
 * on a document. Kerning is left out, which only ever makes a line look a little wider than it is.
 */
export class TextMeasurer {
  private readonly widths = new Map<string, Map<string, number>>();
  /** Wrapped text by font, size, width and text: a report repeats the same cells thousands of times. */
  private readonly wrapped = new Map<string, string[]>();
  private readonly probe: PDFKit.PDFDocument;

  constructor() {
    this.probe = new PDFDocument({ autoFirstPage: false });
    for (const [name, font] of Object.entries(reportFonts())) this.probe.registerFont(name, font);
  }

  /** Width of `text` in points at `size`. */
  width(text: string, font: ReportFont, size: number): number {
    let table = this.widths.get(font);
    if (!table) {
      table = new Map();
      this.widths.set(font, table);
    }
    let units = 0;
    for (const ch of text) {
      let w = table.get(ch);
      if (w === undefined) {
        this.probe.font(font).fontSize(1000);
        w = this.probe.widthOfString(ch);
        table.set(ch, w);
      }
      units += w;
    }
    return (units * size) / 1000;
  }

  /**
   * Breaks `text` into lines no wider than `maxWidth`: at spaces, at explicit newlines, and inside a
   * word only when the word alone is too wide (a serial number never runs out of its cell).
   */
  wrap(text: string, font: ReportFont, size: number, maxWidth: number): string[] {
    const key = `${font}|${size}|${maxWidth}|${text}`;
    const hit = this.wrapped.get(key);
    if (hit) return hit;
    const lines = this.wrapNow(text, font, size, maxWidth);
    if (this.wrapped.size > 20_000) this.wrapped.clear();
    this.wrapped.set(key, lines);
    return lines;
  }

  private wrapNow(text: string, font: ReportFont, size: number, maxWidth: number): string[] {
    const lines: string[] = [];
    const space = this.width(' ', font, size);
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(' ')) {
        if (word === '') continue;
        let w = this.width(word, font, size);
        if (line !== '' && lineWidth + space + w <= maxWidth) {
          line += ` ${word}`;
          lineWidth += space + w;
          continue;
        }
        if (line !== '') lines.push(line);
        line = '';
        lineWidth = 0;
        let rest = word;
        while (w > maxWidth) {
          const [head, tail] = this.split(rest, font, size, maxWidth);
          lines.push(head);
          rest = tail;
          w = this.width(rest, font, size);
        }
        line = rest;
        lineWidth = w;
      }
      lines.push(line);
    }
    return lines;
  }

  private split(word: string, font: ReportFont, size: number, maxWidth: number): [string, string] {
    const chars = [...word];
    let width = 0;
    let i = 0;
    for (; i < chars.length; i++) {
      const w = this.width(chars[i]!, font, size);
      if (width + w > maxWidth && i > 0) break;
      width += w;
    }
    return [chars.slice(0, i).join(''), chars.slice(i).join('')];
  }
}

let shared: TextMeasurer | null = null;

/** One measurer per process: it holds only font metrics, which never change. */
export function measurer(): TextMeasurer {
  shared ??= new TextMeasurer();
  return shared;
}
