import { PATH_SEPARATOR } from '../locations/locations.projector';
import { type BarcodeSpec, measureBarcode, snap } from './bwip-pdfkit';
import type { LabelFormat } from './labels.formats';
import { type LabelPlan, type PlanOp, printable } from './labels.layout';
import { textWidth } from './text-bitmap';
import { elideStart, MEASURE_SLACK, type Measure, wrapCut, wrapText } from './text-fit';

export interface LocationLabel {
  code: string;
  printed: string;
  kind: string;
  path: string;
}

const MM = 72 / 25.4;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

const widest = new Map<string, { spec: BarcodeSpec; width: number }>();

/**
 * The widest Code 128 modules (up to 0.75 mm) whose symbol and quiet zones fit across the label.
 * Every location code has the same shape (LC + 8 digits): measured once per format and dpi.
 */
function widestBarcode(f: LabelFormat, code: string, dpi: number) {
  const key = `${f.id}:${dpi}:${code.replace(/[0-9]/g, '9')}`;
  const known = widest.get(key);
  if (known) return { spec: { ...known.spec, text: code }, width: known.width };
  const found = measureWidest(f, code, dpi);
  widest.set(key, found);
  return found;
}

function measureWidest(f: LabelFormat, code: string, dpi: number) {
  const dot = 72 / dpi;
  const edge = f.width - 2 * Math.min(f.layout.margin, 1 * MM);
  let spec: BarcodeSpec | null = null;
  let width = 0;
  for (let dots = Math.max(2, Math.floor((0.75 * MM) / dot)); dots >= 2; dots--) {
    spec = { symbology: 'code128', text: code, dpi, moduleDots: dots, barHeight: 10 };
    width = measureBarcode(spec).width;
    if (width + 20 * dots * dot <= edge) break;
  }
  return { spec: spec as BarcodeSpec, width };
}

/**
 * The location's own name (the leaf of its path), as large as the label allows: one line at the
 * full size or a little smaller, else (on labels tall enough) two or three lines broken between
 * words, smaller before a word is split (on a 4x6 down to 40 %, it is still large there); a name
 * too long even so takes all its lines, the last one cut.
 */
function leafLines(measure: Measure, leaf: string, width: number, size: number, maxLines: number) {
  for (const k of [1, 0.9, 0.8]) {
    if (measure(leaf, size * k) <= width) return { lines: [leaf], size: size * k };
  }
  if (maxLines === 1) return { lines: [leaf], size: size * 0.6 };
  const steps = maxLines >= 3 ? [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4] : [1, 0.9, 0.8, 0.7, 0.6];
  for (const breakWords of [false, true])
    for (const k of steps) {
      const lines = wrapText(measure, leaf, width, size * k, maxLines, breakWords);
      if (lines) return { lines, size: size * k };
    }
  const least = size * (steps.at(-1) as number);
  return { lines: wrapCut(measure, leaf, () => width, least, maxLines), size: least };
}

/**
 * A shelf or bin label meant to be read and scanned from a metre away. Top to bottom: the path of
 * what it is in (warehouse › room › shelf), cut from its start when long so the nearest parent
 * shows; the location's own name large (on two or three lines on tall labels); the widest Code 128 modules that
 * fit with bars as tall as the rest of the label allows (up to 60 mm); the printed code large. What
 * height is left is shared out between them, so a tall label is filled, not a band in its middle.
 */
export function planLocationLabel(f: LabelFormat, loc: LocationLabel, dpi: number = f.dpi): LabelPlan {
  const m = f.layout.margin;
  const W = f.width;
  const H = f.height;
  const inner = W - 2 * m;
  const fit = inner * MEASURE_SLACK;
  const parts = loc.path.split(PATH_SEPARATOR);
  const leaf = parts.pop() ?? loc.path;
  const parents = parts.join(PATH_SEPARATOR);

  const gap = clamp(H * 0.02, 0.8 * MM, 3 * MM);
  let pathLineH = clamp(H * 0.075, 7.5, 24);
  const leafBox = clamp(H * 0.15, 11, 50);
  const codeH = clamp(H * 0.2, 12, 54);
  const bold: Measure = (t, size) => textWidth('bold', t, size);
  const regular: Measure = (t, size) => textWidth('regular', t, size);

  // A 4x6 has room for the whole path on up to three lines; smaller labels show its end on one.
  let path: string[] = [];
  if (parents && H >= 400) {
    for (const k of [1, 0.85]) {
      path = wrapText(regular, parents, fit, pathLineH * k * 0.8, 3) ?? [];
      if (path.length) {
        pathLineH *= k;
        break;
      }
    }
  }
  const pathSize = pathLineH * 0.8;
  if (parents && !path.length) path = [elideStart(regular, parents, fit, pathSize, PATH_SEPARATOR)];
  const pathH = pathLineH * path.length;
  const name = leafLines(bold, leaf, fit, leafBox * 0.85, H >= 400 ? 3 : H >= 100 ? 2 : 1);
  const lineH = name.size / 0.85;
  const leafH = lineH * name.lines.length;
  const gaps = (parents ? 3 : 2) * gap;
  const room = H - 2 * m - pathH - leafH - codeH - gaps;
  const barH = snap(Math.min(room, 60 * MM), dpi);
  // What the bars do not take: a quarter above the text, between each group, and below the code.
  const spare = Math.max(0, room - barH) / 4;

  const ops: PlanOp[] = [];
  let y = m + spare;
  for (const text of path) {
    ops.push({
      op: 'text',
      text,
      font: 'regular',
      size: pathSize,
      x: m,
      y,
      w: inner,
      h: pathLineH,
      align: 'center',
    });
    y += pathLineH;
  }
  if (parents) y += gap;
  for (const text of name.lines) {
    ops.push({
      op: 'text',
      text,
      font: 'bold',
      size: name.size,
      x: m,
      y,
      w: inner,
      h: lineH,
      align: 'center',
    });
    y += lineH;
  }
  const bar = widestBarcode(f, loc.code, dpi);
  const barY = snap(y + gap + spare, dpi);
  ops.push({
    op: 'barcode',
    spec: { ...bar.spec, barHeight: barH },
    x: snap((W - bar.width) / 2, dpi),
    y: barY,
    w: bar.width,
    h: barH,
  });
  ops.push({
    op: 'text',
    text: loc.printed,
    font: 'bold',
    size: codeH * 0.9,
    x: m,
    y: barY + barH + gap + spare,
    w: inner,
    h: codeH,
    align: 'center',
  });
  return { width: W, height: H, ops: printable(ops) };
}
