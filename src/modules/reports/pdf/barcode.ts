import bwipjs from 'bwip-js/node';

/** A Code 128 barcode of `text` (no human-readable line: the report prints the number beside it), as PNG. */
export function code128Png(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: 'code128',
    text,
    scale: 3,
    height: 12,
    includetext: false,
    paddingwidth: 0,
  });
}

/** A QR code of `text` (a URL), as PNG. */
export function qrPng(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: 'qrcode', text, scale: 4, paddingwidth: 0 });
}
