import type { TestApp } from '../helpers/app';
import { auth } from '../helpers/app';

/** A whole, minimal PDF (header, one empty page, trailer and %%EOF); `tag` makes its bytes unique. */
export function pdfBytes(tag = 'court order'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n` +
      `3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n% ${tag}\ntrailer <</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

/** A 1×1 PNG. */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The start and end markers of a JPEG around a few bytes (enough for the type check). */
export const JPEG_BYTES = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9,
]);

/** Uploads a document as the clerk; returns its record. */
export async function uploadDocument(
  t: TestApp,
  bytes: Buffer = pdfBytes(),
  type = 'application/pdf',
  query = 'kind=court_order',
) {
  const res = await t.http
    .post(`/api/v1/documents?${query}`)
    .set(auth(t.tokens.clerk))
    .set('Content-Type', type)
    .send(bytes);
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`uploadDocument: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as { sha256: string; mediaType: string; size: number; addedSeq: number };
}
