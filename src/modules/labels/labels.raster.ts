import bwipjs from 'bwip-js/node';
import type { LabelPlan } from './labels.layout';
import { encodePng1 } from './png';
import { type Bitmap, measureText, renderText } from './text-bitmap';
import { fitLine, textTop } from './text-fit';

/**
 * A label plan drawn into a 1-bit raster at a printer's resolution: the screen preview
 * (label.png) shows the dots a printer at that resolution would print. Barcodes come from
 * bwip-js's raw symbol (bar widths, module matrix), so they are exactly the symbols of the PDF.
 */
export class Raster {
  readonly width: number;
  readonly height: number;
  readonly rowBytes: number;
  readonly data: Uint8Array;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.rowBytes = Math.ceil(width / 8);
    this.data = new Uint8Array(this.rowBytes * height);
  }

  /** Sets (or, with `clear`, clears) the pixels of a rectangle, clipped to the raster. */
  fill(x: number, y: number, w: number, h: number, clear = false): void {
    const x0 = Math.max(0, Math.round(x));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y0 = Math.max(0, Math.round(y));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) {
      for (let px = x0; px < x1; px++) {
        const i = py * this.rowBytes + (px >> 3);
        const bit = 0x80 >> (px & 7);
        this.data[i] = clear ? (this.data[i] ?? 0) & ~bit : (this.data[i] ?? 0) | bit;
      }
    }
  }

  /** Copies a bitmap's black pixels in (or clears them: white text on black). */
  blit(b: Bitmap, x: number, y: number, clear = false): void {
    for (let by = 0; by < b.height; by++) {
      for (let bx = 0; bx < b.width; bx++) {
        if ((b.data[by * b.rowBytes + (bx >> 3)] ?? 0) & (0x80 >> (bx & 7)))
          this.fill(x + bx, y + by, 1, 1, clear);
      }
    }
  }

  /** Whether any pixel in the rectangle is black. */
  inked(x: number, y: number, w: number, h: number): number {
    let n = 0;
    for (let py = Math.max(0, y); py < Math.min(this.height, y + h); py++)
      for (let px = Math.max(0, x); px < Math.min(this.width, x + w); px++)
        if ((this.data[py * this.rowBytes + (px >> 3)] ?? 0) & (0x80 >> (px & 7))) n++;
    return n;
  }

  png(dpi: number): Buffer {
    return encodePng1(this.width, this.height, this.rowBytes, this.data, dpi);
  }
}

interface RawSymbol {
  sbs?: number[];
  pixs?: number[];
  pixx?: number;
  pixy?: number;
}
const raw = (bwipjs as unknown as { raw(opts: { bcid: string; text: string }): RawSymbol[] }).raw;

export function rasterisePlan(plan: LabelPlan, dpi: number): Raster {
  const k = dpi / 72;
  const r = new Raster(Math.round(plan.width * k), Math.round(plan.height * k));
  for (const op of plan.ops) {
    if (op.op === 'box') r.fill(op.x * k, op.y * k, op.w * k, op.h * k);
    else if (op.op === 'text') {
      const line = fitLine((t, size) => measureText(op.font, t, size * k) / k, op.text, {
        ...op,
        width: op.w,
        height: op.h,
      });
      const b = renderText(op.font, line.text, line.size * k);
      r.blit(
        b,
        Math.round(line.x * k) - 1,
        Math.round(textTop(op.y, op.h, line.size) * k) - b.ascent,
        op.inverse,
      );
    } else {
      const [sym] = raw({ bcid: op.spec.symbology, text: op.spec.text });
      const m = op.spec.moduleDots;
      const x0 = Math.round(op.x * k);
      const y0 = Math.round(op.y * k);
      if (sym?.sbs) {
        let x = x0;
        sym.sbs.forEach((w, i) => {
          if (i % 2 === 0) r.fill(x, y0, w * m, Math.round(op.h * k));
          x += w * m;
        });
      } else if (sym?.pixs && sym.pixx) {
        const cols = sym.pixx;
        sym.pixs.forEach((on, i) => {
          if (on) r.fill(x0 + (i % cols) * m, y0 + Math.floor(i / cols) * m, m, m);
        });
      }
    }
  }
  return r;
}
