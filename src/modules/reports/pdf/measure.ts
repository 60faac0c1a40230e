import { type ReportFont, reportFonts } from './document';

/** Where a line may break: at spaces (`words`), or also between the tokens of a code (`tokens`, see wrap). */
export type WrapMode = 'words' | 'tokens';

/** What the measurer reads of a parsed (fontkit) font. */
interface GlyphMetrics {
  unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
}

/**
 * Text widths from the fonts' advance widths, cached per character, with no document: each
 * character's glyph is the one the writer draws (glyphs.ts: its font's glyph for the code point, no
 * shaping, no kerning), so a line measured to fit is drawn exactly that wide.
 */
export class TextMeasurer {
  private readonly widths = new Map<string, Map<string, number>>();
  /** Wrapped text by font, size, width and text: a report repeats the same cells thousands of times. */
  private readonly wrapped = new Map<string, string[]>();
  private readonly fonts = reportFonts() as unknown as Record<ReportFont, GlyphMetrics>;

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
        const f = this.fonts[font];
        w = (f.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth * 1000) / f.unitsPerEm;
        table.set(ch, w);
      }
      units += w;
    }
    return (units * size) / 1000;
  }

  /**
   * Breaks `text` into lines no wider than `maxWidth`: at spaces, at explicit newlines, and inside a
   * word only when the word alone is too wide (a serial number never runs out of its cell).
   * `tokens` also breaks after a comma or a slash, and a token still too wide after a hyphen if
   * one fits, before any character: for seal numbers ("KZ-PV/EKB/2022/0041277").
   */
  wrap(text: string, font: ReportFont, size: number, maxWidth: number, mode: WrapMode = 'words'): string[] {
    const key = `${font}|${size}|${maxWidth}|${mode}|${text}`;
    const hit = this.wrapped.get(key);
    if (hit) return hit;
    const lines = this.wrapNow(text, font, size, maxWidth, mode);
    if (this.wrapped.size > 20_000) this.wrapped.clear();
    this.wrapped.set(key, lines);
    return lines;
  }

  private wrapNow(text: string, font: ReportFont, size: number, maxWidth: number, mode: WrapMode): string[] {
    const lines: string[] = [];
    const space = this.width(' ', font, size);
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(' ')) {
        if (word === '') continue;
        // The pieces of a word after its commas and slashes follow each other with no space.
        const pieces = mode === 'tokens' ? word.split(/(?<=[,/])/) : [word];
        pieces.forEach((piece, i) => {
          const gap = i === 0 ? space : 0;
          let w = this.width(piece, font, size);
          if (line !== '' && lineWidth + gap + w <= maxWidth) {
            line += i === 0 ? ` ${piece}` : piece;
            lineWidth += gap + w;
            return;
          }
          if (line !== '') lines.push(line);
          let rest = piece;
          while (w > maxWidth) {
            const [head, tail] = this.split(rest, font, size, maxWidth, mode);
            lines.push(head);
            rest = tail;
            w = this.width(rest, font, size);
          }
          line = rest;
          lineWidth = w;
        });
      }
      lines.push(line);
    }
    return lines;
  }

  private split(
    word: string,
    font: ReportFont,
    size: number,
    maxWidth: number,
    mode: WrapMode,
  ): [string, string] {
    const chars = [...word];
    let width = 0;
    let i = 0;
    let afterHyphen = 0;
    for (; i < chars.length; i++) {
      const w = this.width(chars[i]!, font, size);
      if (width + w > maxWidth && i > 0) break;
      width += w;
      if (chars[i] === '-') afterHyphen = i + 1;
    }
    if (mode === 'tokens' && afterHyphen > 0 && afterHyphen < chars.length) i = afterHyphen;
    return [chars.slice(0, i).join(''), chars.slice(i).join('')];
  }
}

let shared: TextMeasurer | null = null;

/** One measurer per process: it holds only font metrics, which never change. */
export function measurer(): TextMeasurer {
  shared ??= new TextMeasurer();
  return shared;
}
