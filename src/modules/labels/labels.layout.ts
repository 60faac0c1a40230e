import { type BarcodeSpec, measureBarcode, snap } from './bwip-pdfkit';
import type { LabelFormat } from './labels.formats';
import type { LabelItem } from './labels.select';
import { drawable, textWidth } from './text-bitmap';
import { type LabelFont, MEASURE_SLACK, type Measure, wrapCut, wrapText } from './text-fit';

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
  // The date rides on the case line, where it is never cut: a long site loses its end, not the date.
  else if (n === 4) lines = [join([caseLine, item.seizedOn]), item.site, what, join([sn, seal])];
  else lines = [join([caseLine, item.seizedOn]), item.site, what, sn, seal];
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

/** The plan's text (in place) as the fonts draw it: a character they lack shows as "\uFFFD", measured as such. */
export function printable(ops: PlanOp[]): PlanOp[] {
  for (const [i, o] of ops.entries()) {
    if (o.op !== 'text') continue;
    const text = drawable(o.font, o.text);
    if (text !== o.text) ops[i] = { ...o, text };
  }
  return ops;
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

/** What identifies the rig or the case: shown whole on a 4x6, never cut. */
const IDENTIFIERS = new Set(['Case', 'Seized', 'Serial', 'Seal', 'Quantity']);

/**
 * How a value may be set, best first: [size factor, most lines, may break inside a word]. Text
 * (site, make, model) wraps between words before it shrinks. An identifier shrinks a step before it
 * wraps, wraps only between its tokens (at spaces, dashes, slashes), and shrinks further before a
 * token is broken between characters: split mid-token it reads as two numbers.
 */
const TEXT_TRIES: [number, number, boolean][] = [
  [1, 1, false],
  [0.9, 1, false],
  [1, 3, false],
  [0.9, 3, false],
  [0.82, 3, false],
  [1, 3, true],
  [0.82, 3, true],
];
const ID_TRIES: [number, number, boolean][] = [
  [1, 1, false],
  [0.9, 1, false],
  [0.82, 1, false],
  [1, 2, false],
  [0.9, 2, false],
  [0.82, 2, false],
  [0.72, 1, false],
  [0.64, 1, false],
  [0.82, 3, false],
  [0.72, 3, false],
  [0.64, 3, false],
  [0.72, 3, true],
];

/** A value whole on its lines at a size no smaller than `least`, or null if it cannot be. */
function valueLines(
  value: string,
  id: boolean,
  widths: (line: number) => number,
  size: number,
  least: number,
) {
  for (const [k, most, breakWords] of id ? ID_TRIES : TEXT_TRIES) {
    if (size * k < least) continue;
    const lines = wrapText(boldWidth, value, widths, size * k, most, breakWords);
    if (lines) return { lines, size: size * k };
  }
  return null;
}

type FieldRow = { caption: string; lines: string[]; size: number };

/** The sizes tried for a 4x6's fields, as factors of the format's line size: largest first. */
const FIELD_SIZES = [1.25, 1.125, 1, 0.9, 0.8, 0.7, 0.6];
/** No value is set smaller than this (of the line size): 8 pt on a 4x6. */
const LEAST = 0.5;

/**
 * The captioned fields of a large label (4x6: "everything, large"), at the largest size from 125 %
 * of `base` down at which every field shows whole, a long value a little smaller or on up to three
 * lines. Only if none does, at the smallest size, are values cut — site, make or model, the longest
 * first, each keeping at least a line — while case number, date, serial and seal stay whole.
 */
function captionedFields(fields: [string, string][], a: FieldArea, base: number): PlanOp[] {
  for (const k of FIELD_SIZES) {
    const size = base * k;
    const lineH = size * 1.25;
    const rows: FieldRow[] = [];
    let y = a.y;
    for (const [caption, value] of fields) {
      const top = y;
      const fitted = valueLines(
        value,
        IDENTIFIERS.has(caption),
        (line) => valueWidth(a, top + line * lineH, size) * MEASURE_SLACK,
        size,
        base * LEAST,
      );
      if (!fitted || y + fitted.lines.length * lineH > a.bottom) break;
      rows.push({ caption, ...fitted });
      y += fitted.lines.length * lineH;
    }
    if (rows.length === fields.length) return fieldRows(rows, a, size);
  }
  const size = base * (FIELD_SIZES[FIELD_SIZES.length - 1] as number);
  return fieldRows(cutFields(fields, a, size), a, size);
}

/** Every value at `size`, the longest cuttable one losing a line at a time until all fit. */
function cutFields(fields: [string, string][], a: FieldArea, size: number): FieldRow[] {
  const lineH = size * 1.25;
  const caps = fields.map(() => Number.POSITIVE_INFINITY);
  for (;;) {
    const rows: FieldRow[] = [];
    let y = a.y;
    for (const [i, [caption, value]] of fields.entries()) {
      const top = y;
      const widths = (line: number) => valueWidth(a, top + line * lineH, size) * MEASURE_SLACK;
      const lines = wrapCut(boldWidth, value, widths, size, caps[i] as number);
      rows.push({ caption, lines, size });
      y += lines.length * lineH;
    }
    if (y <= a.bottom + 1e-6) return rows;
    // The value to cut: the longest text, or only when none is left to cut, the longest identifier.
    let cut = -1;
    for (const pass of [false, true]) {
      for (const [i, row] of rows.entries())
        if (IDENTIFIERS.has(row.caption) === pass && row.lines.length > 1)
          if (cut < 0 || row.lines.length > (rows[cut] as FieldRow).lines.length) cut = i;
      if (cut >= 0) break;
    }
    if (cut < 0) return rows;
    caps[cut] = (rows[cut] as FieldRow).lines.length - 1;
  }
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
