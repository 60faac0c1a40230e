import { crc32, deflateSync, inflateSync } from 'node:zlib';

/**
 * A PNG that pdfkit embeds at once, in the call that draws it.
 *
 * pdfkit decodes a PNG with an alpha channel (bwip-js draws only RGBA) through png-js's callback
 * `zlib.inflate`, run on libuv's thread pool, and numbers and writes the image's soft mask when that
 * callback returns. With two images in a report (the barcode and the QR code) their objects came out
 * in the order the pool finished them — on a loaded machine not always the order they were drawn, so
 * the same report was another file. An opaque PNG (no alpha, no transparency, not interlaced) takes
 * pdfkit's synchronous path. Transparent pixels become white, the page's own colour; the pixels go
 * out grey when the image has no colour (a barcode, a QR code), else RGB.
 */
export function opaquePng(png: Buffer): Buffer {
  const { width, height, depth, colorType, interlace, transparent, data } = readPng(png);
  if (interlace !== 0) throw new Error('report images must not be interlaced');
  if ((colorType === 0 || colorType === 2 || colorType === 3) && !transparent) return png;
  const channels = colorType === 6 ? 4 : colorType === 4 ? 2 : 0;
  if (channels === 0 || depth !== 8)
    throw new Error(`unsupported report image: PNG colour type ${colorType}, depth ${depth}`);
  const pixels = unfilter(inflateSync(data), width, height, channels);
  const rgb = Buffer.alloc(width * height * 3);
  let grey = true;
  for (let i = 0, o = 0; i < pixels.length; i += channels, o += 3) {
    const a = pixels[i + channels - 1]!;
    for (let c = 0; c < 3; c++) {
      const v = pixels[i + (channels === 4 ? c : 0)]!;
      rgb[o + c] = Math.round((v * a + 255 * (255 - a)) / 255);
    }
    if (rgb[o] !== rgb[o + 1] || rgb[o] !== rgb[o + 2]) grey = false;
  }
  const out = grey ? 1 : 3;
  const raw = Buffer.alloc((width * out + 1) * height); // filter byte 0 ("none") before each row
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const q = y * (width * out + 1) + 1 + x * out;
      if (grey) raw[q] = rgb[p]!;
      else rgb.copy(raw, q, p, p + 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, grey ? 0 : 2, 0, 0, 0], 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readPng(png: Buffer) {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('report images must be PNG');
  const idat: Buffer[] = [];
  let ihdr: Buffer | null = null;
  let transparent = false;
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') ihdr = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'tRNS') transparent = true;
    at += 12 + length;
  }
  if (!ihdr) throw new Error('PNG without IHDR');
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    depth: ihdr[8]!,
    colorType: ihdr[9]!,
    interlace: ihdr[12]!,
    transparent,
    data: Buffer.concat(idat),
  };
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** Undoes PNG's per-row filters (none, sub, up, average, Paeth) of 8-bit samples, `bpp` bytes a pixel. */
function unfilter(data: Buffer, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[row + x - bpp]! : 0;
      const up = y > 0 ? out[row - stride + x]! : 0;
      const upLeft = x >= bpp && y > 0 ? out[row - stride + x - bpp]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      else if (filter !== 0) throw new Error(`PNG row filter ${filter}`);
      out[row + x] = (data[src + x]! + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
