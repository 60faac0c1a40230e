import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify';
import { ledgerChecks } from '../../src/modules/checks';
import { documentPath, documentsDirFor } from '../../src/modules/documents/documents.store';
import { projectors } from '../../src/modules/projectors';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { JPEG_BYTES, PNG_BYTES, pdfBytes, uploadDocument } from './fixtures';

const t = makeTestApp();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const post = (type: string, bytes: Buffer | string, token = t.tokens.clerk, query = '') =>
  t.http.post(`/api/v1/documents${query}`).set(auth(token)).set('Content-Type', type).send(bytes);

/** Every file in the store, so a refusal can be shown to have written none. */
function storedFiles(): string[] {
  const dir = documentsDirFor(t.dbPath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('POST /documents', () => {
  it('stores a PDF under its SHA-256 and records a document_added event', async () => {
    const bytes = pdfBytes('order 2-1187/2026');
    const before = t.head();
    const res = await post(
      'application/pdf',
      bytes,
      t.tokens.clerk,
      '?kind=court_order&title=Order%202-1187',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      sha256: sha(bytes),
      mediaType: 'application/pdf',
      size: bytes.length,
      kind: 'court_order',
      title: 'Order 2-1187',
      addedBy: t.userIds.clerk,
      addedSeq: before + 1,
    });
    expect(res.headers.location).toBe(`/api/v1/documents/${sha(bytes)}`);
    expect(t.head()).toBe(before + 1);
    expect(existsSync(documentPath(documentsDirFor(t.dbPath), sha(bytes)))).toBe(true);
  });

  it('takes JPEG and PNG too, and answers the first record when the same bytes come again', async () => {
    const jpeg = await uploadDocument(t, JPEG_BYTES, 'image/jpeg', 'kind=destruction_photo');
    const png = await uploadDocument(t, PNG_BYTES, 'image/png', 'kind=seal_photo');
    expect([jpeg.mediaType, png.mediaType]).toEqual(['image/jpeg', 'image/png']);
    const before = t.head();
    const again = await post('image/png', PNG_BYTES);
    expect(again.status).toBe(200);
    expect(again.body.addedSeq).toBe(png.addedSeq);
    expect(t.head()).toBe(before);
  });

  it.each([
    ['a PNG declared as a PDF', 'application/pdf', PNG_BYTES, 'image/png'],
    ['a PDF declared as a JPEG', 'image/jpeg', pdfBytes('x'), 'application/pdf'],
    ['text declared as a PNG', 'image/png', Buffer.from('hello, not an image'), null],
    ['a PDF cut short (no %%EOF)', 'application/pdf', pdfBytes('cut').subarray(0, 60), null],
    ['a PNG without its end chunk', 'image/png', PNG_BYTES.subarray(0, PNG_BYTES.length - 12), null],
  ])('refuses %s with document_type_mismatch and writes nothing', async (_what, type, bytes, detected) => {
    const before = t.head();
    const files = storedFiles();
    const res = await post(type, bytes);
    expectProblem(res, 400, 'document_type_mismatch');
    expect(res.body).toMatchObject({ declared: type, detected });
    expect(t.head()).toBe(before);
    expect(storedFiles()).toEqual(files);
  });

  it('refuses other media types (415) and bodies over 20 MB (413)', async () => {
    const before = t.head();
    expectProblem(await post('text/plain', 'a note'), 415, 'unsupported_media_type');
    expectProblem(await post('application/json', '{}'), 415, 'unsupported_media_type');
    const big = Buffer.concat([pdfBytes('big'), Buffer.alloc(20 * 1024 * 1024)]);
    expectProblem(await post('application/pdf', big), 413, 'payload_too_large');
    expect(t.head()).toBe(before);
  });

  it('is for the roles that write: a prosecutor or auditor may not attach', async () => {
    const before = t.head();
    expectProblem(await post('application/pdf', pdfBytes('p'), t.tokens.prosecutor), 403, 'forbidden');
    expectProblem(await post('application/pdf', pdfBytes('p'), t.tokens.auditor), 403, 'forbidden');
    expect(t.head()).toBe(before);
  });
});

describe('GET /documents/:sha256', () => {
  it('answers the stored bytes with their type, for any reading role, by hash in either case', async () => {
    const bytes = pdfBytes('fetch me');
    const doc = await uploadDocument(t, bytes);
    const res = await t.http
      .get(`/api/v1/documents/${doc.sha256.toUpperCase()}`)
      .set(auth(t.tokens.prosecutor))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers.etag).toBe(`"${doc.sha256}"`);
    expect(res.headers['x-document-kind']).toBe('court_order');
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
  });

  it('answers 404 document_not_found for an unknown hash and 400 for a malformed one', async () => {
    expectProblem(
      await t.http.get(`/api/v1/documents/${'a'.repeat(64)}`).set(auth(t.tokens.clerk)),
      404,
      'document_not_found',
    );
    expectProblem(
      await t.http.get('/api/v1/documents/abc').set(auth(t.tokens.clerk)),
      400,
      'validation_failed',
    );
  });
});

describe('verify and the document store', () => {
  const verify = () =>
    verifyLedger(t.app.locals.ctx.db, { projectors, checks: ledgerChecks, projections: false });

  it('is intact while every document is stored and hashes right', () => {
    expect(verify()).toMatchObject({ ok: true, damage: [] });
  });

  it('reports a damaged document, then a missing one, at the seq that added it', async () => {
    const bytes = pdfBytes('to be damaged');
    const doc = await uploadDocument(t, bytes);
    const path = documentPath(documentsDirFor(t.dbPath), doc.sha256);
    writeFileSync(path, Buffer.concat([bytes, Buffer.from('tampered')]));
    expect(verify().damage).toEqual([
      { kind: 'document_damaged', seq: doc.addedSeq, detail: expect.stringContaining(doc.sha256) },
    ]);
    expectProblem(
      await t.http.get(`/api/v1/documents/${doc.sha256}`).set(auth(t.tokens.clerk)),
      500,
      'document_damaged',
    );
    rmSync(path);
    expect(verify().damage).toEqual([
      { kind: 'document_missing', seq: doc.addedSeq, detail: expect.stringContaining(doc.sha256) },
    ]);
    // The same bytes uploaded again restore it (the name is the content), and verify is clean again.
    expect((await post('application/pdf', bytes)).status).toBe(200);
    expect(verify().ok).toBe(true);
  });
});
