import bwipjs, { type DrawingContext, type RenderOptions } from 'bwip-js/node';

/**
 * bwip-js → pdfkit, on the model of bwip-js's examples/drawing-pdfkit.js (shipped outside the
 * package's exports), typed, and sized to a printer's dot grid: every module is a whole number of
 * dots and the symbol's origin sits on a dot, so a printer at that resolution draws the bars as
 * bwip-js computed them, with no resampling by a driver.
 *
 * Linear symbols come as stroked lines, one per bar; we fill them as rectangles in one path
 * (one fill per symbol is much cheaper in pdfkit than a stroke per bar). 2D symbols come as
 * polygons filled even-odd. Text is never drawn by bwip-js here (the label draws it with pdfkit's
 * own text and the embedded font), so measure() and text() are not used.
 */

// `fixupOptions` is on the default export but missing from the package's type definitions.
const bwip = bwipjs as typeof bwipjs & { fixupOptions(opts: RenderOptions): RenderOptions };

/** The pdfkit calls the drawing object needs (structurally typed: PDFKit.PDFDocument satisfies it). */
export interface PathTarget {
  save(): unknown;
  restore(): unknown;
  moveTo(x: number, y: number): unknown;
  lineTo(x: number, y: number): unknown;
  rect(x: number, y: number, w: number, h: number): unknown;
  closePath(): unknown;
  fillColor(color: string): unknown;
  fill(rule?: 'even-odd' | 'non-zero'): unknown;
}

export type Symbology = 'code128' | 'datamatrix' | 'qrcode';

export interface BarcodeSpec {
  symbology: Symbology;
  text: string;
  /** Printer resolution the modules are counted in (203 for Zebra thermal heads). */
  dpi: number;
  /** Module width in printer dots (2D symbols: the module's side). */
  moduleDots: number;
  /** Bar height in pt (linear symbols only; 2D symbols are square modules). */
  barHeight?: number;
}

export interface Placed {
  width: number;
  height: number;
}

/**
 * bwip-js drawing units per module at scale 2: 2 for linear symbols, 4 for 2D ones. (At scale 1
 * bwip-js rounds the centre of an odd-width bar by half a module, which breaks the symbol.)
 */
const SCALE = 2;
const UNITS_PER_MODULE: Record<Symbology, number> = { code128: 2, datamatrix: 4, qrcode: 4 };

export const dotPt = (dpi: number) => 72 / dpi;

/** Rounds a coordinate (pt, from the label's origin) down to the printer's dot grid. */
export const snap = (v: number, dpi: number) => Math.floor(v / dotPt(dpi) + 1e-6) * dotPt(dpi);

interface Frame {
  x: number;
  y: number;
  kx: number;
  ky: number;
}

/** A typed DrawingContext drawing into `target` at (x, y) with per-axis unit → pt factors. */
export class PdfkitDrawing implements DrawingContext<Placed> {
  private readonly spec: BarcodeSpec;
  private readonly target: PathTarget;
  private readonly origin: { x: number; y: number };
  private frame: Frame = { x: 0, y: 0, kx: 1, ky: 1 };
  private size: Placed = { width: 0, height: 0 };
  private bars = 0;

  constructor(target: PathTarget, spec: BarcodeSpec, x: number, y: number) {
    this.target = target;
    this.spec = spec;
    this.origin = { x, y };
  }

  // bwip-js may ask to rescale; we keep its integer units and scale in init().
  scale(): null {
    return null;
  }

  measure(): { width: number; ascent: number; descent: number } {
    return { width: 0, ascent: 0, descent: 0 };
  }

  init(width: number, height: number): void {
    const k = (this.spec.moduleDots * dotPt(this.spec.dpi)) / UNITS_PER_MODULE[this.spec.symbology];
    const ky = this.spec.barHeight !== undefined && height > 0 ? this.spec.barHeight / height : k;
    this.frame = { x: this.origin.x, y: this.origin.y, kx: k, ky };
    this.size = { width: width * k, height: height * ky };
    this.target.save();
  }

  line(x0: number, y0: number, x1: number, y1: number, lw: number): void {
    const { x, y, kx, ky } = this.frame;
    if (x0 === x1) {
      // A vertical bar of width lw centred on x0.
      this.target.rect(x + (x0 - lw / 2) * kx, y + Math.min(y0, y1) * ky, lw * kx, Math.abs(y1 - y0) * ky);
    } else {
      this.target.rect(x + Math.min(x0, x1) * kx, y + (y0 - lw / 2) * ky, Math.abs(x1 - x0) * kx, lw * ky);
    }
    this.bars += 1;
  }

  polygon(pts: Array<[number, number]>): void {
    const { x, y, kx, ky } = this.frame;
    const [first, ...rest] = pts;
    if (!first) return;
    this.target.moveTo(x + first[0] * kx, y + first[1] * ky);
    for (const [px, py] of rest) this.target.lineTo(x + px * kx, y + py * ky);
    this.target.closePath();
  }

  hexagon(pts: Array<[number, number]>): void {
    this.polygon(pts);
  }

  ellipse(): void {
    throw new Error('ellipses (dotcode, maxicode) are not drawn on labels');
  }

  fill(rgb: string): void {
    this.target.fillColor(`#${rgb}`);
    this.target.fill('even-odd');
  }

  text(): void {
    throw new Error('barcode text is drawn by the label, not by bwip-js');
  }

  end(): Placed {
    if (this.bars > 0) {
      this.target.fillColor('#000000');
      this.target.fill('non-zero');
    }
    this.target.restore();
    return this.size;
  }
}

function renderOptions(spec: BarcodeSpec): RenderOptions {
  const opts: RenderOptions = { bcid: spec.symbology, text: spec.text, scale: SCALE, includetext: false };
  if (spec.symbology === 'code128') opts.height = 10; // mm; the drawing rescales to barHeight
  return bwip.fixupOptions(opts);
}

/** Draws a barcode with its top-left at (x, y) pt, snapped to the dot grid; returns its size in pt. */
export function drawBarcode(target: PathTarget, spec: BarcodeSpec, x: number, y: number): Placed {
  return bwip.render(renderOptions(spec), new PdfkitDrawing(target, spec, x, y));
}

/** Modules across a symbol (without quiet zones), to lay it out before drawing. */
export function measureBarcode(spec: BarcodeSpec): Placed {
  const sizer: DrawingContext<Placed> = {
    scale: () => null,
    measure: () => ({ width: 0, ascent: 0, descent: 0 }),
    init(width: number, height: number) {
      sizer.end = () => {
        const k = (spec.moduleDots * dotPt(spec.dpi)) / UNITS_PER_MODULE[spec.symbology];
        return { width: width * k, height: spec.barHeight ?? height * k };
      };
    },
    line: () => undefined,
    polygon: () => undefined,
    hexagon: () => undefined,
    ellipse: () => undefined,
    fill: () => undefined,
    text: () => undefined,
    end: () => ({ width: 0, height: 0 }),
  };
  return bwip.render(renderOptions(spec), sizer);
}
