import type { LabelPlan, PlanOp } from './labels.layout';
import type { StreamResult } from './labels.pdf';
import type { StreamSink } from './stream-sink';
import { type Bitmap, measureText, renderText } from './text-bitmap';
import { type FittedLine, fitLine, textTop } from './text-fit';

/**
 * A label plan as ZPL II: one ^XA…^XZ per label, UTF-8 (^CI28), field data escaped with ^FH.
 * Zebra's resident font 0 (^A0) has no Cyrillic and the common Unicode font (E:TT0003M_.FNT) lacks
 * the Kazakh letters, so text that is not plain ASCII is printed as a ^GF graphic field rendered
 * here with the embedded DejaVu font — unless `font` names a font the printer holds (^A@).
 */
export interface ZplOptions {
  dpi: number;
  copies: number;
  /** A printer font for all text, e.g. `E:TT0003M_.FNT`; default: ^A0 for ASCII, ^GF otherwise. */
  font?: string | undefined;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** ^FH escaping with `_`: the characters ZPL would read as commands, and `_` itself. */
export function zplEscape(text: string): string {
  return text.replace(/[\^~_]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** ZPL's ASCII compression of ^GF hex data: runs as G–Y (1–19) and g–z (20–400), `,` ends a row of zeros, `:` repeats the row above. */
export function compressGraphic(b: Bitmap): string {
  const out: string[] = [];
  let previous = '';
  for (let y = 0; y < b.height; y++) {
    let hex = '';
    for (let i = 0; i < b.rowBytes; i++)
      hex += (b.data[y * b.rowBytes + i] ?? 0).toString(16).padStart(2, '0');
    hex = hex.toUpperCase();
    if (hex === previous) {
      out.push(':');
      continue;
    }
    previous = hex;
    const trimmed = hex.replace(/0+$/, '');
    let row = '';
    for (let i = 0; i < trimmed.length; ) {
      const ch = trimmed[i] as string;
      let n = 1;
      while (trimmed[i + n] === ch) n++;
      i += n;
      row += runLength(n) + ch;
    }
    out.push(trimmed.length < hex.length ? `${row},` : row);
  }
  return out.join('');
}

function runLength(n: number): string {
  if (n === 1) return '';
  let s = '';
  let left = n;
  while (left >= 400) {
    s += 'z';
    left -= 400;
  }
  if (left >= 20) {
    s += String.fromCharCode('g'.charCodeAt(0) + Math.floor(left / 20) - 1);
    left %= 20;
  }
  if (left > 0) s += String.fromCharCode('G'.charCodeAt(0) + left - 1);
  return s;
}

function graphicField(b: Bitmap): string {
  const total = b.rowBytes * b.height;
  return `^GFA,${total},${total},${b.rowBytes},${compressGraphic(b)}`;
}

function textField(op: Extract<PlanOp, { op: 'text' }>, k: number, opt: ZplOptions): string {
  const measure = (t: string, size: number) => measureText(op.font, t, size * k) / k;
  const line: FittedLine = fitLine(measure, op.text, { ...op, width: op.w, height: op.h });
  const reverse = op.inverse ? '^FR' : '';
  const top = Math.round(textTop(op.y, op.h, line.size) * k);
  const h = Math.max(10, Math.round(line.size * k));
  if (opt.font || PRINTABLE_ASCII.test(line.text)) {
    // The printer's font: ^FB aligns it in the box, whatever its own widths are.
    const font = opt.font ? `^A@N,${h},${h},${opt.font}` : `^A0N,${h},0`;
    const just = op.align === 'center' ? 'C' : op.align === 'right' ? 'R' : 'L';
    return `^FO${Math.round(op.x * k)},${top}${reverse}${font}^FB${Math.round(op.w * k)},1,0,${just}^FH^FD${zplEscape(line.text)}^FS`;
  }
  const bitmap = renderText(op.font, line.text, line.size * k);
  return `^FO${Math.round(line.x * k)},${top - bitmap.ascent}${reverse}${graphicField(bitmap)}^FS`;
}

/**
 * One label: ^PW/^LL its size in dots, ^PQ its copies. Code 128 in automatic mode (^BC…,A: the
 * printer switches to set C for the digits, the same symbol bwip-js draws), DataMatrix ECC 200.
 */
export function zplLabel(plan: LabelPlan, opt: ZplOptions): string {
  const k = opt.dpi / 72;
  const d = (v: number) => Math.round(v * k);
  const parts = [`^XA^CI28^PW${d(plan.width)}^LL${d(plan.height)}^LH0,0^PQ${opt.copies},0,1,N`];
  for (const op of plan.ops) {
    switch (op.op) {
      case 'box':
        parts.push(`^FO${d(op.x)},${d(op.y)}^GB${d(op.w)},${d(op.h)},${Math.min(d(op.w), d(op.h))},B,0^FS`);
        break;
      case 'text':
        parts.push(textField(op, k, opt));
        break;
      case 'barcode':
        if (op.spec.symbology === 'code128')
          parts.push(
            `^FO${d(op.x)},${d(op.y)}^BY${op.spec.moduleDots}^BCN,${d(op.h)},N,N,N,A^FD${op.spec.text}^FS`,
          );
        else if (op.spec.symbology === 'datamatrix')
          parts.push(`^FO${d(op.x)},${d(op.y)}^BXN,${op.spec.moduleDots},200,0,0,6^FD${op.spec.text}^FS`);
        else parts.push(`^FO${d(op.x)},${d(op.y)}^BQN,2,${op.spec.moduleDots}^FDMA,${op.spec.text}^FS`);
        break;
    }
  }
  parts.push('^XZ\n');
  return parts.join('\n');
}

/**
 * Streams one ZPL label per item (copies by ^PQ), a page of items at a time. `drawn` counts the
 * labels (items × copies) handed to the connection: a page is built only while the client is there, and written
 * whole (the sink flushes it before the next await).
 */
export async function streamZpl<T>(
  sink: StreamSink,
  pages: Iterable<T[]>,
  plan: (item: T) => LabelPlan,
  opt: ZplOptions,
): Promise<StreamResult> {
  let drawn = 0;
  for (const page of pages) {
    if (sink.aborted) return { finished: false, drawn };
    let chunk = '';
    for (const item of page) chunk += zplLabel(plan(item), opt);
    sink.write(chunk);
    drawn += page.length * opt.copies;
    await sink.pace();
  }
  sink.end();
  return { finished: true, drawn };
}
