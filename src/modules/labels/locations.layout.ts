import { type BarcodeSpec, measureBarcode, snap } from './bwip-pdfkit';
import type { LabelFormat } from './labels.formats';
import type { LabelPlan } from './labels.layout';

export interface LocationLabel {
  code: string;
  printed: string;
  kind: string;
  path: string;
}

const MM = 72 / 25.4;

/**
 * A shelf or bin label meant to be scanned from a metre away: the widest Code 128 modules that fit
 * (up to 0.75 mm), bars as tall as the label allows, the printed code large, the path above.
 */
export function planLocationLabel(f: LabelFormat, loc: LocationLabel, dpi: number = f.dpi): LabelPlan {
  const m = f.layout.margin;
  const W = f.width;
  const H = f.height;
  const inner = W - 2 * m;
  const dot = 72 / dpi;
  const pathH = Math.min(22, Math.max(8, H * 0.12));
  const codeH = Math.min(54, Math.max(12, H * 0.2));
  let spec: BarcodeSpec | null = null;
  let width = 0;
  const maxDots = Math.max(2, Math.floor((0.75 * MM) / dot));
  for (let dots = maxDots; dots >= 2; dots--) {
    const candidate: BarcodeSpec = {
      symbology: 'code128',
      text: loc.code,
      dpi,
      moduleDots: dots,
      barHeight: 10,
    };
    width = measureBarcode(candidate).width;
    spec = candidate;
    if (width + 20 * dots * dot <= W - 2 * Math.min(m, 1 * MM)) break;
  }
  // Bars at most 40 mm tall; what is left is shared above and below the barcode and its code.
  const room = H - 2 * m - pathH - codeH - 2 * MM;
  const barH = snap(Math.min(room, 40 * MM), dpi);
  const spare = (room - barH) / 2;
  const barY = snap(m + pathH + 1 * MM + spare, dpi);
  const codeY = barY + barH + 1 * MM;
  const bar = { ...(spec as BarcodeSpec), barHeight: barH };
  return {
    width: W,
    height: H,
    ops: [
      {
        op: 'text',
        text: loc.path,
        font: 'regular',
        size: pathH * 0.8,
        x: m,
        y: barY - pathH - 1 * MM,
        w: inner,
        h: pathH,
        align: 'center',
      },
      { op: 'barcode', spec: bar, x: snap((W - width) / 2, dpi), y: barY, w: width, h: barH },
      {
        op: 'text',
        text: loc.printed,
        font: 'bold',
        size: codeH * 0.9,
        x: m,
        y: codeY,
        w: inner,
        h: codeH,
        align: 'center',
      },
    ],
  };
}
