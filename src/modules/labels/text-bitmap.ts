import { readFileSync } from 'node:fs';
import bwipjs from 'bwip-js/node';
import { LABEL_FONTS, type LabelFont } from './text-fit';

/**
 * Text as a 1-bit bitmap, for printers that cannot draw it themselves (ZPL ^GF): glyphs of the
 * embedded DejaVu fonts rasterised by bwip-js's FontLib (stb_truetype, pure JavaScript — no native
 * dependency), thresholded at half coverage.
 */

// FontLib is missing from bwip-js/node's default-export type; it is there at run time.
interface Glyph {
  width: number;
  height: number;
  top: number;
  left: number;
  advance: number;
  /** null for a glyph with no ink (a space). */
  bytes: Uint8Array | null;
  /** The font's glyph index: 0 is .notdef, the empty box drawn for a character the font lacks. */
  glyph: number;
}
interface FontLib {
  lookup(name: string): number;
  getglyph(id: number, code: number, width: number, height: number): Glyph | null;
}
const bwip = bwipjs as unknown as {
  loadFont(name: string, mult: number, data: Uint8Array): void;
  FontLib: FontLib;
};

// DejaVu's metrics in em: cap height (1493/2048), ascender and descender of the line box.
const CAP = 1493 / 2048;
export const ASCENT = 0.928;
const DESCENT = 0.236;

interface LoadedFont {
  id: number;
  /** FontLib's size parameter that draws a 1 px em. */
  perEm: number;
}
const loaded = new Map<LabelFont, LoadedFont>();

function font(name: LabelFont): LoadedFont {
  let f = loaded.get(name);
  if (!f) {
    const key = `custody-${name}`;
    bwip.loadFont(key, 100, readFileSync(LABEL_FONTS[name]));
    const id = bwip.FontLib.lookup(key);
    // Calibrated on a large capital H: FontLib's size is not the em size.
    const h = bwip.FontLib.getglyph(id, 72, 1000, 1000);
    f = { id, perEm: 1000 / ((h?.height ?? 1000 * CAP) / CAP) };
    loaded.set(name, f);
  }
  return f;
}

/**
 * What a label prints for a character DejaVu cannot draw (CJK, most emoji): U+FFFD, the visible
 * replacement character every label font has, instead of an empty box whose width a PDF viewer, a
 * printer and our measurement each take differently.
 */
export const REPLACEMENT = '\uFFFD';
const REPLACEMENT_CODE = 0xfffd;

function glyph(f: LoadedFont, code: number, emPx: number): Glyph | null {
  const p = Math.max(1, Math.round(emPx * f.perEm));
  const g = bwip.FontLib.getglyph(f.id, code, p, p);
  return g && g.glyph === 0 && code > 32 ? bwip.FontLib.getglyph(f.id, REPLACEMENT_CODE, p, p) : g;
}

const covered = new Map<LabelFont, Map<number, boolean>>();
/**
 * Text each font surely draws, checked without a lookup per character: ASCII, and for the sans
 * faces Latin-1/Extended-A, all of Cyrillic (Kazakh included) and the usual punctuation (a test
 * proves every character here has a glyph).
 */
export const SURELY_DRAWN: Record<LabelFont, RegExp> = {
  regular: /^[\x20-\x7e\u00a0-\u017f\u0400-\u04ff\u2010-\u2026\u2030-\u2037\u2039\u203a\u2116]*$/,
  bold: /^[\x20-\x7e\u00a0-\u017f\u0400-\u04ff\u2010-\u2026\u2030-\u2037\u2039\u203a\u2116]*$/,
  mono: /^[\x20-\x7e]*$/,
};

/** Whether the font has a glyph of its own for the character (not the .notdef box). */
export function hasGlyph(name: LabelFont, code: number): boolean {
  let table = covered.get(name);
  if (!table) {
    table = new Map();
    covered.set(name, table);
  }
  let has = table.get(code);
  if (has === undefined) {
    has = (bwip.FontLib.getglyph(font(name).id, code, 100, 100)?.glyph ?? 0) !== 0;
    table.set(code, has);
  }
  return has;
}

/**
 * `text` as a label font draws it: each character the font has no glyph for becomes REPLACEMENT,
 * so that what is measured (textWidth, measureText) is what is drawn, in the PDF and in the ZPL
 * raster alike.
 */
export function drawable(name: LabelFont, text: string): string {
  if (SURELY_DRAWN[name].test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 32) {
      out += ' ';
      continue;
    }
    const has = hasGlyph(name, code);
    out += has ? ch : REPLACEMENT;
  }
  return out;
}

/** The advance width of `text` in px at an em of `emPx` px. */
export function measureText(name: LabelFont, text: string, emPx: number): number {
  const f = font(name);
  let w = 0;
  for (const ch of text) w += glyph(f, ch.codePointAt(0) as number, emPx)?.advance ?? 0;
  return w;
}

const EM = 500;
const advances = new Map<LabelFont, Map<number, number>>();

/**
 * The width of `text` at `size` (any unit: the result is in the same), from a table of each
 * character's advance: cheap enough for a layout to measure every line of every label with.
 */
export function textWidth(name: LabelFont, text: string, size: number): number {
  let table = advances.get(name);
  if (!table) {
    table = new Map();
    advances.set(name, table);
  }
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    let a = table.get(code);
    if (a === undefined) {
      a = (glyph(font(name), code, EM)?.advance ?? 0) / EM;
      table.set(code, a);
    }
    em += a;
  }
  return em * size;
}

export interface Bitmap {
  width: number;
  height: number;
  rowBytes: number;
  /** Rows top to bottom, 1 bit a pixel, most significant bit first; 1 = black. */
  data: Uint8Array;
  /** Rows from the top of the bitmap to the top of the line box (the ascender line). */
  ascent: number;
}

export function renderText(name: LabelFont, text: string, emPx: number): Bitmap {
  const f = font(name);
  const ascent = Math.ceil(ASCENT * emPx) + 1;
  const height = ascent + Math.ceil(DESCENT * emPx) + 1;
  const glyphs = [...text].map((ch) => glyph(f, ch.codePointAt(0) as number, emPx));
  const width = Math.max(1, Math.ceil(glyphs.reduce((w, g) => w + (g?.advance ?? 0), 0)) + 2);
  const rowBytes = Math.ceil(width / 8);
  const data = new Uint8Array(rowBytes * height);
  let pen = 1;
  for (const g of glyphs) {
    if (!g) continue;
    if (!g.bytes) {
      pen += g.advance;
      continue;
    }
    const x0 = Math.round(pen + g.left);
    const y0 = ascent - g.top;
    // Half coverage, but a stroke thinner than a pixel (a hyphen at small sizes) keeps its darkest
    // pixels: a serial's dashes must not vanish.
    let max = 0;
    for (let i = 0; i < g.bytes.length; i++) max = Math.max(max, g.bytes[i] ?? 0);
    const threshold = Math.max(1, Math.min(128, Math.ceil(max * 0.75)));
    for (let gy = 0; gy < g.height; gy++) {
      const y = y0 + gy;
      if (y < 0 || y >= height) continue;
      for (let gx = 0; gx < g.width; gx++) {
        const x = x0 + gx;
        if (x < 0 || x >= width || (g.bytes[gy * g.width + gx] ?? 0) < threshold) continue;
        data[y * rowBytes + (x >> 3)] = (data[y * rowBytes + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
      }
    }
    pen += g.advance;
  }
  return { width, height, rowBytes, data, ascent: ascent - Math.round(ASCENT * emPx) };
}
