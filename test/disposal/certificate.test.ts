import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/ledger/rebuild';
import { projectors } from '../../src/modules/projectors';
import { auth, makeTestApp, tempDir } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { act, approved, completion, proposed, scan, stockedItems, WITNESSES } from './fixtures';

const t = makeTestApp();
const dir = tempDir();
const printed = (ev: string) => `EV-${ev.slice(2, 4)}-${ev.slice(4, 11)}-${ev.slice(11)}`;

const certificate = (id: string, query = '') =>
  t.http
    .get(`/api/v1/disposals/${id}/certificate.pdf${query}`)
    .set(auth(t.tokens.prosecutor))
    // One host for every request: the service's address is printed in the report (its QR code).
    .set('Host', 'custody.example:3000')
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (x: Buffer) => chunks.push(x));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });

function textOf(pdf: Buffer): string {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('GET /disposals/:id/certificate.pdf', () => {
  it('is refused for a disposal not completed (409) or unknown (404), writing nothing', async () => {
    const { evidenceNos } = await stockedItems(t, 1);
    const d = await proposed(t, { items: evidenceNos });
    const before = t.head();
    const get = (x: string) => t.http.get(`/api/v1/disposals/${x}/certificate.pdf`).set(auth(t.tokens.clerk));
    expectProblem(await get(d.id), 409, 'disposal_not_completed');
    expectProblem(await get('dsp_none'), 404, 'disposal_not_found');
    // HEAD gives the same refusals (no body).
    const head = (x: string) =>
      t.http.head(`/api/v1/disposals/${x}/certificate.pdf`).set(auth(t.tokens.clerk));
    expect((await head(d.id)).status).toBe(409);
    expect((await head('dsp_none')).status).toBe(404);
    expect(t.head()).toBe(before);
  });

  it('prints the authority, approval, witnesses, every item, totals and anomalies; reproducible from the ledger', async () => {
    const { evidenceNos } = await stockedItems(t, 12, 1_234_56);
    const id = await approved(t, evidenceNos);
    for (const ev of evidenceNos.slice(1)) await scan(t, id, ev);
    const done = await act(t, id, 'complete', completion({ witnesses: WITNESSES }));
    expect(done.status).toBe(200);

    // HEAD checks it and answers its headers, but makes and records no certificate.
    const beforeHead = t.head();
    const head = await t.http.head(`/api/v1/disposals/${id}/certificate.pdf`).set(auth(t.tokens.clerk));
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/pdf');
    expect(t.head()).toBe(beforeHead);

    const first = await certificate(id);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    const fingerprint = first.headers['x-report-fingerprint'] as string;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const text = textOf(first.body as Buffer);
    expect(text).toContain(`Certificate of destruction № ${done.body.certificateNo}`);
    for (const needle of [
      '2-1187/2026',
      'Экибастузский городской суд',
      'Test supervisor (supervisor)',
      'MetallService LLP (licence 02-114)',
      'Truck 123 ABC 14',
      'Әлібек Сейітов',
      'Prosecutor’s Office of',
      'Test auditor',
      'Signature',
      '11 items disposed of',
      '13,580.16 USD',
      'not scanned at the disposal',
      'Page 1 of',
    ]) {
      expect(text).toContain(needle);
    }
    for (const ev of evidenceNos) expect(text).toContain(printed(ev));
    expect(text.replace(/\s+/g, '')).toContain(`fingerprint${fingerprint}`);

    // Made again at the same checkpoint — even after every projection is rebuilt from the events — it
    // is the same payload; each request is recorded as a report_made event.
    const treeSize = (await t.http.get(`/api/v1/reports/${fingerprint}`).set(auth(t.tokens.clerk))).body
      .checkpoint.treeSize;
    rebuildProjections(t.app.locals.ctx.db, projectors);
    const before = t.head();
    const again = await certificate(id, `?checkpoint=${treeSize}`);
    expect(again.headers['x-report-fingerprint']).toBe(fingerprint);
    expect(Buffer.compare(again.body as Buffer, first.body as Buffer)).toBe(0);
    expect(t.head()).toBe(before + 1);
    const described = await t.http.get(`/api/v1/reports/${fingerprint}`).set(auth(t.tokens.clerk));
    expect(described.body).toMatchObject({ kind: 'disposal_certificate', timesMade: 2 });
    expect(described.body.payload.items).toHaveLength(11);
    expect(described.body.payload.anomalies).toEqual([
      expect.objectContaining({ evidenceNo: evidenceNos[0] }),
    ]);
  });
});
