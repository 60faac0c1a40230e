import { drawBarcode } from './bwip-pdfkit';
import type { LabelPlan } from './labels.layout';
import { fitText, type TextDoc } from './text-fit';

/** Draws a label plan into a pdfkit page with the label's corner at (ox, oy). */
export function drawPlan(doc: TextDoc, plan: LabelPlan, ox: number, oy: number): void {
  for (const op of plan.ops) {
    switch (op.op) {
      case 'box':
        doc.rect(ox + op.x, oy + op.y, op.w, op.h).fill('#000000');
        break;
      case 'text':
        doc.fillColor(op.inverse ? '#ffffff' : '#000000');
        fitText(doc, op.text, {
          font: op.font,
          size: op.size,
          x: ox + op.x,
          y: oy + op.y,
          width: op.w,
          height: op.h,
          align: op.align,
          ...(op.minSize ? { minSize: op.minSize } : {}),
        });
        break;
      case 'barcode':
        drawBarcode(doc, op.spec, ox + op.x, oy + op.y);
        break;
    }
  }
  doc.fillColor('#000000');
}
