import { FONTS } from '../../lib/fonts';

export type TextDoc = PDFKit.PDFDocument;

/** The label fonts, as registered on each document (embedded DejaVu: Cyrillic and Kazakh). */
export const LABEL_FONTS = {
  regular: FONTS.condensed,
  bold: FONTS.condensedBold,
  mono: FONTS.monoBold,
} as const;
export type LabelFont = keyof typeof LABEL_FONTS;

export function registerLabelFonts(doc: TextDoc): void {
  for (const [name, file] of Object.entries(LABEL_FONTS)) doc.registerFont(name, file);
}

export interface TextBox {
  font: LabelFont;
  size: number;
  x: number;
  y: number;
  width: number;
  height: number;
  align?: 'left' | 'center' | 'right';
  /** Smallest size it may shrink to before it is cut with "…" (default 72 % of `size`). */
  minSize?: number;
}

export interface FittedLine {
  text: string;
  size: number;
  /** Where the line starts, after alignment. */
  x: number;
  width: number;
}

// DejaVu's ascender and cap height, in em: to centre capitals and digits in a box.
const ASCENT = 0.928;
const CAP = 0.729;

/** The top of the line box that centres a line's capitals in a box. */
export const textTop = (boxY: number, boxH: number, size: number) =>
  boxY + boxH / 2 - (ASCENT - CAP / 2) * size;

/**
 * Fits one line inside a box, never outside it: shrinks the size to fit the width, down to
 * minSize, then cuts the text with an ellipsis. `measure` gives a text's width at a size, in the
 * box's units (pdfkit's metrics for a PDF, the rasteriser's for a ZPL graphic field).
 */
export function fitLine(measure: Measure, text: string, box: TextBox): FittedLine {
  let size = box.size;
  let shown = text;
  let w = measure(shown, size);
  if (w > box.width) {
    const min = box.minSize ?? box.size * 0.72;
    size = Math.max(min, (size * box.width) / w) * 0.999;
    w = measure(shown, size);
    // Pixel metrics do not scale linearly: step down a little more before cutting the text.
    while (w > box.width && size > min) {
      size = Math.max(min, size * 0.97);
      w = measure(shown, size);
    }
    if (w > box.width) {
      shown = ellipsize(measure, text, box.width, size);
      w = measure(shown, size);
    }
  }
  const x =
    box.align === 'center'
      ? box.x + (box.width - w) / 2
      : box.align === 'right'
        ? box.x + box.width - w
        : box.x;
  return { text: shown, size, x, width: w };
}

export type Measure = (text: string, size: number) => number;

/** A layout measures with the glyph advance table; renderers with their own metrics: leave slack. */
export const MEASURE_SLACK = 0.97;

/** A word's pieces, each ending at a dash or slash: where a word may break before its characters. */
const pieces = (word: string) => word.match(/[^-/‐–—]*[-/‐–—]+|[^-/‐–—]+/g) ?? [word];

/**
 * Breaks `text` into at most `maxLines` lines no wider than `widths` (one for all, or the n-th
 * line's) at `size`; null if it needs more lines. It breaks between words first; a word wider than
 * its line breaks after a dash or slash in it (`HTX2104-ҚҰРЫЛҒЫ-` / `000987`), and only a piece
 * still wider than the line is broken between characters, into even parts (or, with `breakWords`
 * false, makes it null).
 */
export function wrapText(
  measure: Measure,
  text: string,
  widths: number | ((line: number) => number),
  size: number,
  maxLines: number,
  breakWords = true,
): string[] | null {
  const widthOf = typeof widths === 'number' ? () => widths : widths;
  let width = widthOf(0);
  const fits = (t: string) => measure(t, size) <= width;
  const lines: string[] = [];
  const push = (l: string) => {
    lines.push(l);
    width = widthOf(lines.length);
  };
  let line = '';
  // A lone dash or path separator stays at the end of the line before it, never starts one.
  const words: string[] = [];
  for (const w of text.split(/\s+/).filter((t) => t !== '')) {
    if (words.length && !/[\p{L}\p{N}]/u.test(w)) words[words.length - 1] += ` ${w}`;
    else words.push(w);
  }
  // Onto the line if it fits there, else onto a new line if it fits alone; false if not even that.
  const place = (joined: string, unit: string) => {
    if (fits(joined)) {
      line = joined;
      return true;
    }
    if (line) push(line);
    line = '';
    if (!fits(unit)) return false;
    line = unit;
    return true;
  };
  for (const word of words) {
    if (!place(line ? `${line} ${word}` : word, word)) {
      for (const piece of pieces(word)) {
        if (place(line + piece, piece)) continue;
        if (!breakWords) return null;
        // Broken between characters into even parts, not a full line and a stub.
        const parts = Math.ceil(measure(piece, size) / width);
        const even = Math.ceil(piece.length / parts);
        let rest = piece;
        while (rest.length > even && fits(rest.slice(0, even))) {
          push(rest.slice(0, even));
          rest = rest.slice(even);
        }
        while (!fits(rest)) {
          let n = 1;
          while (n < rest.length && fits(rest.slice(0, n + 1))) n++;
          push(rest.slice(0, n));
          rest = rest.slice(n);
        }
        line = rest;
      }
    }
    if (lines.length > maxLines) return null;
  }
  if (line) lines.push(line);
  return lines.length <= maxLines ? lines : null;
}

/**
 * `text` on at most `maxLines` lines as wrapText breaks it; when it needs more, the last line
 * shown ends in "…" (cut where it still fits).
 */
export function wrapCut(
  measure: Measure,
  text: string,
  widths: (line: number) => number,
  size: number,
  maxLines: number,
): string[] {
  const lines = wrapText(measure, text, widths, size, Number.POSITIVE_INFINITY) ?? [];
  if (lines.length <= maxLines) return lines;
  const n = Math.max(1, maxLines);
  // The rest from the last line shown on, joined as it was broken (no space after a dash).
  let rest = '';
  for (const l of lines.slice(n - 1)) rest += rest && !/[-/‐–—]$/.test(rest) ? ` ${l}` : l;
  return [...lines.slice(0, n - 1), ellipsize(measure, rest, widths(n - 1), size)];
}

/** The longest start of `text` that fits `width` with "…" after it. */
export function ellipsize(measure: Measure, text: string, width: number, size: number): string {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${text.slice(0, mid)}…`, size) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

/**
 * A path (`a › b › c`) that fits `width` at `size`, cut from its START so that its end, the most
 * specific part, always shows: whole leading parts give way to "…" first ("… › b › c"), then the
 * last part loses its first characters.
 */
export function elideStart(measure: Measure, path: string, width: number, size: number, sep: string): string {
  const fits = (t: string) => measure(t, size) <= width;
  if (fits(path)) return path;
  const parts = path.split(sep);
  for (let k = 1; k < parts.length; k++) {
    const shown = ['…', ...parts.slice(k)].join(sep);
    if (fits(shown)) return shown;
  }
  const last = parts[parts.length - 1] ?? '';
  let keep = last.length;
  while (keep > 1 && !fits(`…${last.slice(last.length - keep)}`)) keep--;
  return `…${last.slice(last.length - keep).trimStart()}`;
}

/** Writes one line with pdfkit inside its box; returns the size used. */
export function fitText(doc: TextDoc, text: string, box: TextBox): number {
  doc.font(box.font);
  const line = fitLine((t, size) => doc.fontSize(size).widthOfString(t), text, box);
  doc.fontSize(line.size);
  doc.text(line.text, line.x, textTop(box.y, box.height, line.size), { lineBreak: false });
  return line.size;
}
