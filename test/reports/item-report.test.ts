import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import type { ItemReportPayload } from '../../src/modules/reports/item.payload';
import { record } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { expectEventsPrinted, getReport, makeRichItem } from './fixtures';
import { attachment, attachmentNames, pdfFile, pdfText, qpdfCheck, squash } from './pdf-tools';

const t = makeTestApp();
const rich = await makeRichItem(t);

describe('GET /items/:evidenceNo/custody-report.pdf', () => {
  it('answers a valid PDF/A-3 with the fingerprint of its payload, which it carries', async () => {
    const res = await getReport(t, rich.evidenceNo);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const fingerprint = res.headers['x-report-fingerprint'];
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const path = pdfFile(res.body);
    expect(qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    expect(attachmentNames(path)).toEqual(
      expect.arrayContaining(['payload.json', 'checkpoint.txt', 'public-key.pem']),
    );
    const payloadText = attachment(path, 'payload.json');
    expect(createHash('sha256').update(payloadText).digest('hex')).toBe(fingerprint);
    expect(attachment(path, 'public-key.pem')).toBe(t.signer.publicKeyPem);
    const payload = JSON.parse(payloadText) as ItemReportPayload;
    expect(attachment(path, 'checkpoint.txt')).toContain(`\n${payload.checkpoint.treeSize}\n`);
    expect(res.body.toString('latin1')).toContain('<pdfaid:part>3</pdfaid:part>');
  });

  it('prints every event of the item, in plain words, and the Kazakh and Russian names', async () => {
    const res = await getReport(t, rich.evidenceNo);
    const path = pdfFile(res.body);
    const text = squash(pdfText(path));
    const payload = JSON.parse(attachment(path, 'payload.json')) as ItemReportPayload;
    const types = payload.section.events.map((e) => e.event?.type);
    expect(types).toEqual([
      'item_registered',
      'item_received',
      'item_moved',
      'item_transferred',
      'item_checked_out',
      'item_returned',
      'item_examined',
      'item_valued',
      'item_valued',
      'item_correction',
      'item_note',
    ]);
    expectEventsPrinted(text, payload.section.events);
    for (const words of [
      'Екібастұз қалалық соты',
      'Ермеков Н., forensic expert',
      'Ферма «Қуат»',
      'BROKEN; resealed KZ-FMA 0990001',
      `Correction of seq ${rich.moved.seq}`,
      `corrected by seq`,
      '1,850.00 USD',
      '475,000.00 KZT',
      'Page 1 of',
      `fingerprint ${res.headers['x-report-fingerprint']}`,
    ])
      expect(text).toContain(squash(words));
  });

  it('gives the same bytes and fingerprint when asked again at the same checkpoint', async () => {
    const a = await getReport(t, rich.evidenceNo);
    const b = await getReport(t, rich.evidenceNo);
    expect(b.headers['x-report-fingerprint']).toBe(a.headers['x-report-fingerprint']);
    expect(Buffer.compare(a.body, b.body)).toBe(0);
    const payload = JSON.parse(attachment(pdfFile(a.body), 'payload.json')) as ItemReportPayload;
    const pinned = await getReport(
      t,
      rich.evidenceNo,
      'prosecutor',
      `?checkpoint=${payload.checkpoint.treeSize}`,
    );
    expect(pinned.status).toBe(200);
    // The parameters are part of the payload: pinned and unpinned are two different reports.
    expect(pinned.headers['x-report-fingerprint']).not.toBe(a.headers['x-report-fingerprint']);
  });

  it('prints names as of its checkpoint: a role changed since does not change the report', async () => {
    const a = await getReport(t, rich.evidenceNo);
    expect(squash(pdfText(pdfFile(a.body)))).toContain(squash('Test clerk (clerk)'));
    const setRole = (role: string) =>
      t.http.post(`/api/v1/users/${t.userIds.clerk}/role`).set(auth(t.tokens.admin)).send({ role });
    expect((await setRole('supervisor')).status).toBe(200);
    try {
      const b = await getReport(t, rich.evidenceNo);
      expect(b.headers['x-report-fingerprint']).toBe(a.headers['x-report-fingerprint']);
      expect(Buffer.compare(a.body, b.body)).toBe(0);
    } finally {
      expect((await setRole('clerk')).status).toBe(200);
    }
  });

  it('records that the report was made, with the requester as actor, and tells what it was made of', async () => {
    const before = t.head();
    const res = await getReport(t, rich.evidenceNo, 'auditor');
    const fingerprint = res.headers['x-report-fingerprint'] as string;
    expect(t.head()).toBe(before + 1);
    const history = await t.http
      .get(`/api/v1/reports/${fingerprint.toUpperCase()}`)
      .set(auth(t.tokens.clerk));
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({
      fingerprint,
      kind: 'item_custody',
      parameters: { evidenceNo: rich.evidenceNo },
      requests: [{ seq: before + 1, requestedBy: { id: t.userIds.auditor, role: 'auditor' } }],
    });
    const canonical = attachment(pdfFile(res.body), 'payload.json');
    expect(history.body.payload).toEqual(JSON.parse(canonical));
    const event = t.app.locals.ctx.db.sqlite
      .prepare('SELECT type, actor, data FROM events WHERE seq = ?')
      .get(before + 1) as {
      type: string;
      actor: string;
      data: string;
    };
    expect(event).toMatchObject({ type: 'report_made', actor: t.userIds.auditor });
    expect(JSON.parse(event.data)).toMatchObject({
      fingerprint,
      kind: 'item_custody',
      requestedBy: { name: 'Test auditor' },
    });
  });

  it('refuses an unknown item, a wrong check digit and a checkpoint it cannot use, writing nothing', async () => {
    const older = t.app.locals.ctx.ledger.checkpoint().treeSize;
    await record(t, rich.evidenceNo, { type: 'note', text: 'Seen at the audit.' });
    const before = t.head();
    expectProblem(await getReport(t, formatEvidenceNo(2026, 9_999_999).compact), 404, 'item_not_found');
    expectProblem(await getReport(t, 'EV2600000019'), 400, 'invalid_check_digit');
    expectProblem(
      await getReport(t, rich.evidenceNo, 'prosecutor', '?checkpoint=999999'),
      404,
      'checkpoint_not_found',
    );
    expectProblem(
      await getReport(t, rich.evidenceNo, 'prosecutor', `?checkpoint=${older}`),
      409,
      'checkpoint_too_old',
    );
    expectProblem(
      await getReport(t, rich.evidenceNo, 'prosecutor', '?checkpoint=abc'),
      400,
      'validation_failed',
    );
    // Plain digits only, as every other whole number in a query (1e3 was read as 1000).
    for (const bad of ['1e3', '0x10', '', '-1']) {
      const res = await getReport(t, rich.evidenceNo, 'prosecutor', `?checkpoint=${bad}`);
      expectProblem(res, 400, 'validation_failed');
      expect(JSON.stringify(res.body)).toContain('a whole number from 1 in digits');
    }
    expect(t.head()).toBe(before);
  });
});

describe('GET /reports/:fingerprint', () => {
  it('answers 404 for a fingerprint no report has and 400 for one that is not a SHA-256', async () => {
    const before = t.head();
    const unknown = await t.http.get(`/api/v1/reports/${'ab'.repeat(32)}`).set(auth(t.tokens.prosecutor));
    expectProblem(unknown, 404, 'report_not_found');
    const bad = await t.http.get('/api/v1/reports/xyz').set(auth(t.tokens.prosecutor));
    expectProblem(bad, 400, 'validation_failed');
    expect(t.head()).toBe(before);
  });

  it('needs a token', async () => {
    const res = await t.http.get(`/api/v1/reports/${'ab'.repeat(32)}`);
    expectProblem(res, 401, 'unauthenticated');
    await makeCase(t);
  });
});
