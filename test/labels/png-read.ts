import { inflateSync } from 'node:zlib';

export interface Grey {
  width: number;
  height: number;
  /** 0 = black … 255 = white, row by row. */
  pixels: Uint8Array;
}

/** Reads a greyscale PNG (8-bit or 1-bit, any filter): what the ZPL renderer and our preview write. */
export function readGreyPng(png: Buffer): Grey {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const depth = png[24] as number;
  const colour = png[25];
  if (colour !== 0 || (depth !== 8 && depth !== 1))
    throw new Error(`not a greyscale PNG (type ${colour}, ${depth} bit)`);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = depth === 8 ? width : Math.ceil(width / 8);
  const rows = new Uint8Array(stride * height);
  const bpp = 1;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= bpp ? (rows[y * stride + x - bpp] as number) : 0;
      const b = y > 0 ? (rows[(y - 1) * stride + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (rows[(y - 1) * stride + x - bpp] as number) : 0;
      let out = v;
      if (filter === 1) out = v + a;
      else if (filter === 2) out = v + b;
      else if (filter === 3) out = v + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      rows[y * stride + x] = out & 0xff;
    }
  }
  if (depth === 8) return { width, height, pixels: rows };
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      pixels[y * width + x] = (rows[y * stride + (x >> 3)] as number) & (0x80 >> (x & 7)) ? 255 : 0;
  return { width, height, pixels };
}

/** Dark pixels (< 128) in a rectangle. */
export function inkIn(img: Grey, x: number, y: number, w: number, h: number): number {
  let n = 0;
  for (let py = Math.max(0, y); py < Math.min(img.height, y + h); py++)
    for (let px = Math.max(0, x); px < Math.min(img.width, x + w); px++)
      if ((img.pixels[py * img.width + px] as number) < 128) n++;
  return n;
}
