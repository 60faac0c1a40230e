import { type BarcodeSpec, measureBarcode, snap } from './bwip-pdfkit';
import type { LabelFormat } from './labels.formats';
import type { LabelItem } from './labels.select';
import { drawable, textWidth } from './text-bitmap';
import { type LabelFont, MEASURE_SLACK, type Measure, wrapText } from './text-fit';

const MM = 72 / 25.4;

const CATEGORY_NAMES: Record<string, string> = {
  asic_miner: 'ASIC miner',
  gpu_rig: 'GPU rig',
  gpu: 'GPU',
  psu: 'Power supply',
  transformer: 'Transformer',
  cooling: 'Cooling',
  network: 'Network',
  cable_lot: 'Cable lot',
  container: 'Container',
  other: 'Other',
};

export const categoryName = (c: string) => CATEGORY_NAMES[c] ?? c;

const join = (parts: (string | null | undefined)[], sep = ' · ') => parts.filter((p) => p).join(sep);

/** What the label says besides its number, as `[caption, value]`: the short ones first (beside a DataMatrix). */
export function labelFields(item: LabelItem): [string, string][] {
  const fields: [string, string | null][] = [
    ['Case', item.caseNumber],
    ['Seized', item.seizedOn],
    ['Category', categoryName(item.category)],
    ['Site', item.site],
    ['Make', item.make],
    ['Model', item.model],
    ['Serial', item.serialNumber],
    ['Seal', item.sealNo],
    ['Quantity', item.quantity > 1 ? `${item.quantity} ${item.unit}` : null],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== null && f[1] !== '');
}

/** The detail lines of a label with room for `n` lines: fuller lines when fewer fit. */
export function labelLines(item: LabelItem, n: number): string[] {
  const category = categoryName(item.category);
  const makeModel = join([item.make, item.model], ' ');
  const qty = item.quantity > 1 ? `× ${item.quantity} ${item.unit}` : null;
  const what = join([makeModel ? `${category}: ${makeModel}` : category, qty], ' ');
  const sn = item.serialNumber ? `S/N ${item.serialNumber}` : null;
  const seal = item.sealNo ? `Seal ${item.sealNo}` : null;
  const caseLine = `Case ${item.caseNumber}`;
  let lines: (string | null)[];
  // Two lines: the serial before the model, so a long model is what gets cut, not the serial.
  if (n <= 2) lines = [join([caseLine, item.seizedOn]), join([sn, makeModel || category, qty])];
  else if (n === 3)
    lines = [
      join([caseLine, item.seizedOn]),
      join([makeModel || category, qty, item.site]),
      join([sn, seal]),
    ];
  else if (n === 4) lines = [caseLine, join([item.site, item.seizedOn]), what, join([sn, seal])];
  else lines = [caseLine, join([item.site, item.seizedOn]), what, sn, seal];
  return lines.filter((l): l is string => !!l).slice(0, n);
}

/** What a label is made of, in pt from the label's top-left corner; PDF and ZPL draw the same plan. */
export type PlanOp =
  | { op: 'box'; x: number; y: number; w: number; h: number }
  | {
      op: 'text';
      text: string;
      font: LabelFont;
      size: number;
      x: number;
      y: number;
      w: number;
      h: number;
      align: 'left' | 'center' | 'right';
      /** White on a black box. */
      inverse?: boolean;
      /** How far it may shrink before it is cut (default 72 % of `size`). */
      minSize?: number;
    }
  | { op: 'barcode'; spec: BarcodeSpec; x: number; y: number; w: number; h: number };

export interface LabelPlan {
  width: number;
  height: number;
  ops: PlanOp[];
}

/** Module counts per symbol depend only on the kinds of characters: sizes are cached by that shape. */
const sizes = new Map<string, { width: number; height: number }>();
function sizeOf(spec: BarcodeSpec) {
  const key = `${spec.symbology}:${spec.text.replace(/[0-9]/g, '9').replace(/[A-Z]/g, 'A')}:${spec.dpi}:${spec.moduleDots}:${spec.barHeight}`;
  let size = sizes.get(key);
  if (!size) {
    size = measureBarcode(spec);
    sizes.set(key, size);
  }
  return size;
}

/** The dot count at `dpi` nearest to `dots` at the format's own resolution (a ZPL head may differ). */
const dotsAt = (dots: number, from: number, to: number) => Math.max(2, Math.round((dots * to) / from));

/**
 * Lays out one item label: banner, printed number, Code 128 with its quiet zones (10 modules) and
 * the compact number under it, DataMatrix where it fits, then the detail lines that fit. Barcodes
 * sit on the dot grid of `dpi`, counted from the label's corner.
 */
export function planItemLabel(f: LabelFormat, item: LabelItem, dpi: number = f.dpi): LabelPlan {
  const L = f.layout;
  const m = L.margin;
  const W = f.width;
  const H = f.height;
  const inner = W - 2 * m;
  const ops: PlanOp[] = [];
  const dot = 72 / dpi;
  let y = m;

  const banner = (x: number, by: number, w: number, h: number) => {
    ops.push({ op: 'box', x, y: by, w, h });
    ops.push({
      op: 'text',
      text: 'EVIDENCE',
      font: 'bold',
      size: h * 0.62,
      x,
      y: by,
      w,
      h,
      align: 'center',
      inverse: true,
    });
  };
  if (L.banner === 'full') {
    banner(m, y, inner, L.bannerHeight);
    y += L.bannerHeight + 1.5 * MM;
    const h = L.numberSize * 1.05;
    ops.push({
      op: 'text',
      text: item.printed,
      font: 'bold',
      size: L.numberSize,
      x: m,
      y,
      w: inner,
      h,
      align: 'center',
    });
    y += h + 1.5 * MM;
  } else {
    const bw = L.bannerHeight * 3.6;
    banner(m, y, bw, L.bannerHeight);
    const gap = 1.2 * MM;
    ops.push({
      op: 'text',
      text: item.printed,
      font: 'bold',
      size: L.numberSize,
      x: m + bw + gap,
      y,
      w: inner - bw - gap,
      h: L.bannerHeight,
      align: 'right',
    });
    y += L.bannerHeight + 1.2 * MM;
  }

  const barDots = dotsAt(L.code128Dots, f.dpi, dpi);
  const bar: BarcodeSpec = {
    symbology: 'code128',
    text: item.evidenceNo,
    dpi,
    moduleDots: barDots,
    barHeight: snap(L.barHeight, dpi),
  };
  const size = sizeOf(bar);
  const quiet = 10 * barDots * dot;
  const dm: BarcodeSpec | null = L.dataMatrixDots
    ? {
        symbology: 'datamatrix',
        text: item.evidenceNo,
        dpi,
        moduleDots: dotsAt(L.dataMatrixDots, f.dpi, dpi),
      }
    : null;
  const dmSize = dm ? sizeOf(dm).width : 0;
  const dmQuiet = dm ? 2 * dm.moduleDots * dot : 0;
  const barX = snap(dm && L.dataMatrixAt === 'row' ? Math.max(m, quiet) : (W - size.width) / 2, dpi);
  const barY = snap(y, dpi);
  ops.push({ op: 'barcode', spec: bar, x: barX, y: barY, w: size.width, h: size.height });
  let rowBottom = barY + size.height;
  if (L.compactText) {
    const th = Math.min(8, L.barHeight * 0.3);
    ops.push({
      op: 'text',
      text: item.evidenceNo,
      font: 'mono',
      size: th,
      x: barX,
      y: rowBottom + 0.3 * MM,
      w: size.width,
      h: th * 1.2,
      align: 'center',
    });
    rowBottom += 0.3 * MM + th * 1.2;
  }
  if (dm && L.dataMatrixAt === 'row') {
    ops.push({ op: 'barcode', spec: dm, x: snap(W - m - dmSize, dpi), y: barY, w: dmSize, h: dmSize });
    rowBottom = Math.max(rowBottom, barY + dmSize);
  }
  y = rowBottom + 1 * MM;

  if (L.fields === 'captioned') {
    const narrow = dm ? inner - dmSize - dmQuiet : inner;
    if (dm)
      ops.push({
        op: 'barcode',
        spec: dm,
        x: snap(W - m - dmSize, dpi),
        y: snap(y + dmQuiet, dpi),
        w: dmSize,
        h: dmSize,
      });
    const area = {
      x: m,
      y,
      bottom: H - m,
      width: inner,
      narrow,
      narrowUntil: y + dmQuiet + dmSize + dmQuiet,
    };
    ops.push(...captionedFields(labelFields(item).slice(0, L.maxLines), area, L.lineSize));
  } else {
    const lineH = L.lineSize * 1.25;
    const room = Math.floor((H - m - y) / lineH);
    const ids = [item.serialNumber, item.sealNo].filter((v): v is string => !!v);
    for (const line of labelLines(item, Math.min(room, L.maxLines))) {
      ops.push({
        op: 'text',
        text: line,
        font: 'regular',
        size: L.lineSize,
        ...idMinSize(line, ids, inner, L.lineSize),
        x: m,
        y,
        w: inner,
        h: lineH,
        align: 'left',
      });
      y += lineH;
    }
  }
  return { width: W, height: H, ops: printable(ops) };
}

/** The plan's text as the fonts draw it: a character they lack shows as "\uFFFD", measured as such. */
export function printable(ops: PlanOp[]): PlanOp[] {
  return ops.map((o) => (o.op === 'text' ? { ...o, text: drawable(o.font, o.text) } : o));
}

/**
 * Serial and seal identify the rig: a line that carries them may shrink further (to 60 %) so that
 * they show whole, but only as far as they need: what follows them is cut instead.
 */
function idMinSize(line: string, ids: string[], width: number, size: number): { minSize?: number } {
  const end = Math.max(...ids.map((v) => (line.includes(v) ? line.indexOf(v) + v.length : 0)));
  if (end === 0) return {};
  const need = (size * width * MEASURE_SLACK) / textWidth('regular', line.slice(0, end), size);
  return need < size * 0.72 ? { minSize: Math.max(size * 0.6, need) } : {};
}

interface FieldArea {
  x: number;
  y: number;
  bottom: number;
  width: number;
  /** Beside the DataMatrix (rows starting above `narrowUntil`) values have `narrow` width. */
  narrow: number;
  narrowUntil: number;
}

const boldWidth: Measure = (t, size) => textWidth('bold', t, size);

/**
 * A value on one line, or a little smaller, or wrapped onto up to three lines; null if it cannot.
 * One word (a serial, a seal number) shrinks further first: split in two it reads as two numbers.
 */
function valueLines(value: string, widths: (line: number) => number, size: number) {
  for (const k of value.includes(' ') ? [1, 0.9, 0.82] : [1, 0.9, 0.82, 0.72])
    if (boldWidth(value, size * k) <= widths(0)) return { lines: [value], size: size * k };
  // Wrapped between words, a little smaller if need be, before a word is broken.
  for (const k of [1, 0.9, 0.82]) {
    const lines = wrapText(boldWidth, value, widths, size * k, 3, false);
    if (lines) return { lines, size: size * k };
  }
  const lines = wrapText(boldWidth, value, widths, size, 3);
  return lines ? { lines, size } : null;
}

type FieldRow = { caption: string; lines: string[]; size: number };

/**
 * The captioned fields of a large label (4x6: "everything, large"), at the largest size from 125 %
 * of `base` down at which every field fits whole, a long value (model, serial, seal, site) a little
 * smaller or wrapped onto up to three lines. Only if none does are values cut, one line each.
 */
function captionedFields(fields: [string, string][], a: FieldArea, base: number): PlanOp[] {
  for (const k of [1.25, 1.125, 1, 0.9, 0.8, 0.7]) {
    const size = base * k;
    const lineH = size * 1.25;
    const rows: FieldRow[] = [];
    let y = a.y;
    for (const [caption, value] of fields) {
      const top = y;
      const fitted = valueLines(
        value,
        (line) => valueWidth(a, top + line * lineH, size) * MEASURE_SLACK,
        size,
      );
      if (!fitted || y + fitted.lines.length * lineH > a.bottom) break;
      rows.push({ caption, ...fitted });
      y += fitted.lines.length * lineH;
    }
    if (rows.length === fields.length) return fieldRows(rows, a, size);
  }
  return fieldRows(
    fields.map(([caption, value]) => ({ caption, lines: [value], size: base })),
    a,
    base,
  );
}

/** A value line's width at `y`: narrower beside the DataMatrix than below it. */
const valueWidth = (a: FieldArea, y: number, size: number) =>
  (y < a.narrowUntil ? a.narrow : a.width) - size * 4.6;

/** Caption and value lines, row under row, each line as wide as its place allows. */
function fieldRows(rows: FieldRow[], a: FieldArea, size: number): PlanOp[] {
  const lineH = size * 1.25;
  const ops: PlanOp[] = [];
  let y = a.y;
  for (const row of rows) {
    if (y + lineH > a.bottom) break;
    ops.push({
      op: 'text',
      text: row.caption,
      font: 'regular',
      size: size * 0.8,
      x: a.x,
      y: y + size * 0.08,
      w: size * 4.6,
      h: lineH,
      align: 'left',
    });
    for (const text of row.lines) {
      if (y + lineH > a.bottom) break;
      const w = valueWidth(a, y, size);
      ops.push({
        op: 'text',
        text,
        font: 'bold',
        size: row.size,
        x: a.x + size * 4.6,
        y,
        w,
        h: lineH,
        align: 'left',
      });
      y += lineH;
    }
  }
  return ops;
}
