import { type BarcodeSpec, measureBarcode, snap } from './bwip-pdfkit';
import type { LabelFormat } from './labels.formats';
import type { LabelItem } from './labels.select';
import type { LabelFont } from './text-fit';

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

/** What the label says besides its number, most important first, as `[caption, value]`. */
export function labelFields(item: LabelItem): [string, string][] {
  const fields: [string, string | null][] = [
    ['Case', item.caseNumber],
    ['Site', item.site],
    ['Seized', item.seizedOn],
    ['Category', categoryName(item.category)],
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
  if (n <= 2) lines = [join([caseLine, item.seizedOn]), join([makeModel || category, qty, sn])];
  else if (n === 3)
    lines = [
      join([caseLine, item.seizedOn]),
      join([item.site, makeModel || category, qty]),
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

  const lineH = L.lineSize * 1.25;
  const room = Math.floor((H - m - y) / lineH);
  if (L.fields === 'captioned') {
    const textW = dm ? inner - dmSize - dmQuiet : inner;
    if (dm)
      ops.push({
        op: 'barcode',
        spec: dm,
        x: snap(W - m - dmSize, dpi),
        y: snap(y + dmQuiet, dpi),
        w: dmSize,
        h: dmSize,
      });
    const capW = L.lineSize * 4.6;
    for (const [caption, value] of labelFields(item).slice(0, Math.min(room, L.maxLines))) {
      ops.push({
        op: 'text',
        text: caption,
        font: 'regular',
        size: L.lineSize * 0.8,
        x: m,
        y: y + L.lineSize * 0.08,
        w: capW,
        h: lineH,
        align: 'left',
      });
      ops.push({
        op: 'text',
        text: value,
        font: 'bold',
        size: L.lineSize,
        x: m + capW,
        y,
        w: textW - capW,
        h: lineH,
        align: 'left',
      });
      y += lineH;
    }
  } else {
    for (const line of labelLines(item, Math.min(room, L.maxLines))) {
      ops.push({
        op: 'text',
        text: line,
        font: 'regular',
        size: L.lineSize,
        x: m,
        y,
        w: inner,
        h: lineH,
        align: 'left',
      });
      y += lineH;
    }
  }
  return { width: W, height: H, ops };
}
