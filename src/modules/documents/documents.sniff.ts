import type { DocumentMediaType } from './documents.enums';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The media type the bytes themselves are, or null: the signature at the start and the end marker
 * a whole file carries (so a truncated upload is refused too). Names and declared types can lie.
 */
export function sniffMediaType(bytes: Buffer): DocumentMediaType | null {
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024));
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return tail.includes('%%EOF', 0, 'latin1') ? 'application/pdf' : null;
  }
  if (bytes.length >= 33 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    const ihdr = bytes.subarray(12, 16).toString('latin1') === 'IHDR';
    const iend = bytes.subarray(bytes.length - 8, bytes.length - 4).toString('latin1') === 'IEND';
    return ihdr && iend ? 'image/png' : null;
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    // Cameras may pad after the end-of-image marker; it must still be near the end.
    return tail.includes(Buffer.from([0xff, 0xd9])) ? 'image/jpeg' : null;
  }
  return null;
}
