import bwipjs, { type DrawingContext, type RenderOptions } from 'bwip-js/node';

/**
 * bwip-js → pdfkit, on the model of bwip-js's examples/drawing-pdfkit.js (shipped outside the
 * package's exports), typed, and sized to a printer's dot grid: every module is a whole number of
 * dots and the symbol's origin sits on a dot, so a printer at that resolution draws the bars as
 * bwip-js computed them, with no resampling by a driver.
 *
 * Linear symbols come as stroked lines, one per bar; we fill them as rectangles in one path
 * (one fill per symbol is much cheaper in pdfkit than a stroke per bar). 2D symbols are drawn from
 * bwip-js's module matrix (`raw`), each row's runs of dark modules as rectangles: bwip-js's own
 * drawing of a matrix traces its outline through thousands of short-lived point objects a symbol,
 * which V8 ends up allocating straight into the old generation (tens of MB of garbage over a long
 * job). Text is never drawn by bwip-js here (the label draws it with pdfkit's own text and the
 * embedded font), so measure() and text() are not used.
 *
 * A symbol's path goes into the page in one piece (`addContent`), with the same bytes pdfkit's
 * rect() would write one operator at a time.
 */

// `fixupOptions` is on the default export but missing from the package's type definitions.
const bwip = bwipjs as typeof bwipjs & { fixupOptions(opts: RenderOptions): RenderOptions };

/** The pdfkit calls the drawing object needs (structurally typed: PDFKit.PDFDocument satisfies it). */
export interface PathTarget {
  save(): unknown;
  restore(): unknown;
  /** Raw content-stream operators, one per line (pdfkit adds the final newline). */
  addContent(ops: string): unknown;
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

/** A number as pdfkit writes it into a content stream (PDFObject.number). */
const num = (n: number) => Math.round(n * 1e6) / 1e6;
const re = (x: number, y: number, w: number, h: number) => `${num(x)} ${num(y)} ${num(w)} ${num(h)} re`;

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
  private readonly bars: string[] = [];

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
      this.bars.push(re(x + (x0 - lw / 2) * kx, y + Math.min(y0, y1) * ky, lw * kx, Math.abs(y1 - y0) * ky));
    } else {
      this.bars.push(re(x + Math.min(x0, x1) * kx, y + (y0 - lw / 2) * ky, Math.abs(x1 - x0) * kx, lw * ky));
    }
  }

  polygon(): void {
    throw new Error('2D symbols are drawn from their module matrix (drawMatrix), not as polygons');
  }

  hexagon(): void {
    this.polygon();
  }

  ellipse(): void {
    throw new Error('ellipses (dotcode, maxicode) are not drawn on labels');
  }

  fill(): void {
    this.polygon();
  }

  text(): void {
    throw new Error('barcode text is drawn by the label, not by bwip-js');
  }

  end(): Placed {
    if (this.bars.length > 0) {
      this.target.addContent(this.bars.join('\n'));
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

interface Matrix {
  /** Dark (1) or light (0) modules, row by row from the top. */
  pixs: number[];
  pixx: number;
  pixy: number;
}

const isMatrix = (s: Symbology) => s !== 'code128';

/** A 2D symbol's modules, as bwip-js encodes them (no quiet zone). */
function matrixOf(spec: BarcodeSpec): Matrix {
  const [symbol] = bwipjs.raw({ bcid: spec.symbology, text: spec.text });
  if (!symbol || !('pixs' in symbol)) throw new Error(`${spec.symbology} gave no module matrix`);
  return symbol;
}

/** A module matrix at (x, y): each row's runs of dark modules as one rectangle, filled at once. */
function drawMatrix(target: PathTarget, m: Matrix, side: number, x: number, y: number): Placed {
  const runs: string[] = [];
  for (let row = 0; row < m.pixy; row++) {
    const at = row * m.pixx;
    for (let col = 0; col < m.pixx; col++) {
      if (!m.pixs[at + col]) continue;
      let end = col + 1;
      while (end < m.pixx && m.pixs[at + end]) end++;
      runs.push(re(x + col * side, y + row * side, (end - col) * side, side));
      col = end;
    }
  }
  target.save();
  if (runs.length > 0) {
    target.addContent(runs.join('\n'));
    target.fillColor('#000000');
    target.fill('non-zero');
  }
  target.restore();
  return { width: m.pixx * side, height: m.pixy * side };
}

/** A 2D module's side in pt: whole printer dots. */
const moduleSide = (spec: BarcodeSpec) => spec.moduleDots * dotPt(spec.dpi);

/** Draws a barcode with its top-left at (x, y) pt, snapped to the dot grid; returns its size in pt. */
export function drawBarcode(target: PathTarget, spec: BarcodeSpec, x: number, y: number): Placed {
  if (isMatrix(spec.symbology)) return drawMatrix(target, matrixOf(spec), moduleSide(spec), x, y);
  return bwip.render(renderOptions(spec), new PdfkitDrawing(target, spec, x, y));
}

/** Modules across a symbol (without quiet zones), to lay it out before drawing. */
export function measureBarcode(spec: BarcodeSpec): Placed {
  if (isMatrix(spec.symbology)) {
    const m = matrixOf(spec);
    return { width: m.pixx * moduleSide(spec), height: m.pixy * moduleSide(spec) };
  }
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
