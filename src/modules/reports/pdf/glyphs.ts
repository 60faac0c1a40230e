/**
 * One line of text, drawn as its glyphs one per character — without pdfkit's shaping.
 *
 * pdfkit's text() runs every new word through fontkit's OpenType layout (GSUB/GPOS features,
 * kerning): on a long report, where evidence numbers, serials, seals, times and seqs are all new
 * words, that is half of the drawing time. The scripts a report prints (Latin, Cyrillic with the
 * Kazakh letters, digits, punctuation) need no shaping: each character is its font's glyph for that
 * code point. The measurer (measure.ts) already lays lines out from per-character advance widths
 * without kerning; drawing the same way puts every glyph exactly where the layout measured it.
 *
 * The glyphs go through the document's embedded font as pdfkit's would: added to its subset, their
 * widths to its /W array and their code points to its ToUnicode map, so the file embeds the same
 * subset and pdftotext reads the same text.
 */

interface EmbeddedFontInternals {
  id: string;
  font: { glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number } };
  subset: { includeGlyph(glyphId: number): number };
  widths: number[];
  unicode: number[][];
  scale: number;
  ascender: number;
  ref(): unknown;
}

interface DocInternals {
  _font: EmbeddedFontInternals;
  page: { fonts: Record<string, unknown> };
  addContent(data: string): void;
}

/** Per embedded font (one per document and face): code point → the 4 hex digits of its glyph id. */
const codes = new WeakMap<EmbeddedFontInternals, Map<number, string>>();

function hexOf(font: EmbeddedFontInternals, codePoint: number): string {
  let map = codes.get(font);
  if (!map) {
    map = new Map();
    codes.set(font, map);
  }
  let hex = map.get(codePoint);
  if (hex === undefined) {
    const glyph = font.font.glyphForCodePoint(codePoint);
    const gid = font.subset.includeGlyph(glyph.id);
    font.widths[gid] ??= glyph.advanceWidth * font.scale;
    font.unicode[gid] ??= [codePoint];
    hex = gid.toString(16).padStart(4, '0');
    map.set(codePoint, hex);
  }
  return hex;
}

const num = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * Draws `text` with the document's current font, size and fill colour, its top at (x, y) in
 * pdfkit's top-down page space (as text() with `lineBreak: false` does).
 */
export function drawGlyphs(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const d = doc as unknown as DocInternals;
  const font = d._font;
  d.page.fonts[font.id] ??= font.ref();
  let hex = '';
  for (const ch of text) hex += hexOf(font, ch.codePointAt(0)!);
  // The page space is flipped (y down); the text matrix flips the glyphs back upright.
  const baseline = y + (font.ascender / 1000) * size;
  d.addContent(`BT /${font.id} ${num(size)} Tf 1 0 0 -1 ${num(x)} ${num(baseline)} Tm <${hex}> Tj ET`);
}
