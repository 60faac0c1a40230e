import { describe, expect, it } from 'vitest';
import { makeItem, makeShelf, postEvent, record } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { PNG_BYTES, pdfBytes, uploadDocument } from './fixtures';

const t = makeTestApp();

describe('custody events cite documents by hash', () => {
  it('records a receipt and a seal photo on the event, each once', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t);
    const receipt = await uploadDocument(
      t,
      pdfBytes('intake receipt'),
      'application/pdf',
      'kind=handover_receipt',
    );
    const photo = await uploadDocument(t, PNG_BYTES, 'image/png', 'kind=seal_photo');
    const r = await record(t, ev, {
      type: 'received',
      locationCode: shelf.code,
      documents: [receipt.sha256, photo.sha256.toUpperCase(), receipt.sha256],
    });
    const history = await t.http.get(`/api/v1/items/${ev}/history`).set(auth(t.tokens.prosecutor));
    const event = history.body.events.find((e: { seq: number }) => e.seq === r.seq);
    expect(event.data.documents).toEqual([receipt.sha256, photo.sha256]);
  });

  it('refuses a document that was never attached, or that is not a hash, writing nothing', async () => {
    const ev = await makeItem(t);
    const before = t.head();
    const unknown = await postEvent(t, ev, { type: 'note', text: 'see photo', documents: ['c'.repeat(64)] });
    expectProblem(unknown, 404, 'document_not_found');
    expect(unknown.body.sha256).toEqual(['c'.repeat(64)]);
    expectProblem(
      await postEvent(t, ev, { type: 'note', text: 'x', documents: ['photo.jpg'] }),
      400,
      'validation_failed',
    );
    expectProblem(
      await postEvent(t, ev, { type: 'note', text: 'x', documents: [] }),
      400,
      'validation_failed',
    );
    expect(t.head()).toBe(before);
  });
});
