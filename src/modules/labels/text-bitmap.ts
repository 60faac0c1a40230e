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
  bytes: Uint8Array;
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

function glyph(f: LoadedFont, code: number, emPx: number): Glyph | null {
  const p = Math.max(1, Math.round(emPx * f.perEm));
  return bwip.FontLib.getglyph(f.id, code, p, p);
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
    const x0 = Math.round(pen + g.left);
    const y0 = ascent - g.top;
    for (let gy = 0; gy < g.height; gy++) {
      const y = y0 + gy;
      if (y < 0 || y >= height) continue;
      for (let gx = 0; gx < g.width; gx++) {
        const x = x0 + gx;
        if (x < 0 || x >= width || (g.bytes[gy * g.width + gx] ?? 0) < 128) continue;
        data[y * rowBytes + (x >> 3)] = (data[y * rowBytes + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
      }
    }
    pen += g.advance;
  }
  return { width, height, rowBytes, data, ascent: ascent - Math.round(ASCENT * emPx) };
}
