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
export function fitLine(
  measure: (text: string, size: number) => number,
  text: string,
  box: TextBox,
): FittedLine {
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
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (measure(`${text.slice(0, mid)}…`, size) <= box.width) lo = mid;
        else hi = mid - 1;
      }
      shown = `${text.slice(0, lo).trimEnd()}…`;
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

/** Writes one line with pdfkit inside its box; returns the size used. */
export function fitText(doc: TextDoc, text: string, box: TextBox): number {
  doc.font(box.font);
  const line = fitLine((t, size) => doc.fontSize(size).widthOfString(t), text, box);
  doc.fontSize(line.size);
  doc.text(line.text, line.x, textTop(box.y, box.height, line.size), { lineBreak: false });
  return line.size;
}
