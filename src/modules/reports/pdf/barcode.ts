import { drawBarcode, measureBarcode, type PathTarget, snap } from '../../labels/bwip-pdfkit';

/** A code a report prints: the evidence number as Code 128, the report's URL as a QR code. */
export interface ReportCode {
  symbology: 'code128' | 'qrcode';
  text: string;
}

export const code128 = (text: string): ReportCode => ({ symbology: 'code128', text });
export const qrCode = (text: string): ReportCode => ({ symbology: 'qrcode', text });

/** Reports print on office printers: modules are whole dots of a 600 dpi printer. */
const DPI = 600;

/**
 * Draws `code` as vector paths (bwip-js through the labels' pdfkit drawing object), as large as fits
 * in the box of width × height pt at (x, y) — a Code 128 takes the box's height — its left or right
 * edge on the box's. No image, no callback: what is drawn is written in this call.
 */
export function drawCode(
  target: PathTarget,
  code: ReportCode,
  box: { x: number; y: number; width: number; height: number },
  align: 'left' | 'right' = 'left',
): void {
  const linear = code.symbology === 'code128';
  const spec = { symbology: code.symbology, text: code.text, dpi: DPI, moduleDots: 1 };
  const one = measureBarcode(linear ? { ...spec, barHeight: box.height } : spec);
  const across = box.width / one.width;
  const moduleDots = Math.max(1, Math.floor(linear ? across : Math.min(across, box.height / one.height)));
  const sized = linear ? { ...spec, moduleDots, barHeight: box.height } : { ...spec, moduleDots };
  const x = align === 'right' ? box.x + box.width - one.width * moduleDots : box.x;
  drawBarcode(target, sized, snap(x, DPI), snap(box.y, DPI));
}
