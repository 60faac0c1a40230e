import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import {
  closeAudit,
  getPdf,
  makeItems,
  makeRoom,
  pdfText,
  printedNo,
  scanEach,
  startAudit,
} from './fixtures';

const t = makeTestApp();
const db = () => t.app.locals.ctx.db.sqlite;

const pages = (pdf: Buffer) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: pdf }).toString())?.[1]);
const pdf = (path: string, role: 'prosecutor' | 'auditor' = 'prosecutor') => getPdf(t, path, role);

/** Receives items onto a shelf in one scan session. */
async function receive(items: string[], locationCode: string) {
  const res = await t.http
    .post('/api/v1/events/batch')
    .set(auth(t.tokens.clerk))
    .send({ events: items.map((evidenceNo) => ({ evidenceNo, event: { type: 'received', locationCode } })) });
  expect(res.status).toBe(201);
}

describe('GET /audits/:id/report.pdf', () => {
  it('refuses an open audit, writing nothing', async () => {
    const { shelves } = await makeRoom(t, 1);
    const audit = await startAudit(t, { locationCode: shelves[0]!.code });
    const before = t.head();
    expectProblem(
      await t.http.get(`/api/v1/audits/${audit.id}/report.pdf`).set(auth(t.tokens.clerk)),
      409,
      'audit_not_closed',
    );
    expectProblem(
      await t.http.get('/api/v1/audits/aud_none/report.pdf').set(auth(t.tokens.clerk)),
      404,
      'audit_not_found',
    );
    // HEAD gives the same refusals, and of a closed audit its headers: no report is made or recorded.
    const head = (id: string) => t.http.head(`/api/v1/audits/${id}/report.pdf`).set(auth(t.tokens.clerk));
    expect((await head(audit.id)).status).toBe(409);
    expect((await head('aud_none')).status).toBe(404);
    expect(t.head()).toBe(before);
    await closeAudit(t, audit.id);
    const closed = t.head();
    const ok = await head(audit.id);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/pdf');
    expect(t.head()).toBe(closed);
  });

  it('certifies "no exceptions", records that it was made, and the same request gives the same report', async () => {
    const { shelves } = await makeRoom(t, 1);
    const items = await makeItems(t, 3);
    await receive(items, shelves[0]!.code);
    const audit = await startAudit(t, { locationCode: shelves[0]!.code, title: 'Қойма 1, сөре A' });
    await scanEach(t, audit.id, [shelves[0]!.code, ...items]);
    expect((await closeAudit(t, audit.id)).status).toBe(201);
    const before = t.head();
    const res = await pdf(`/api/v1/audits/${audit.id}/report.pdf`, 'auditor');
    expect(res.status).toBe(200);
    const fingerprint = res.headers['x-report-fingerprint'] as string;
    const text = pdfText(res.body as Buffer);
    expect(text).toContain('Certified with no exceptions.');
    expect(text).toContain('Қойма 1, сөре A');
    expect(text).not.toContain('Exceptions:');
    expect(text).toContain(`fingerprint ${fingerprint}`);
    expect(t.head()).toBe(before + 1);
    const made = db().prepare('SELECT type, actor, data FROM events WHERE seq = ?').get(t.head()) as {
      type: string;
      actor: string;
      data: string;
    };
    expect(made).toMatchObject({ type: 'report_made', actor: t.userIds.auditor });
    expect(JSON.parse(made.data)).toMatchObject({
      kind: 'audit',
      fingerprint,
      parameters: { auditId: audit.id },
    });
    const described = await t.http.get(`/api/v1/reports/${fingerprint}`).set(auth(t.tokens.clerk));
    expect(described.body).toMatchObject({
      kind: 'audit',
      payload: { certification: { result: 'no_exceptions' } },
    });
    const again = await pdf(`/api/v1/audits/${audit.id}/report.pdf`, 'auditor');
    expect(again.headers['x-report-fingerprint']).toBe(fingerprint);
    expect(Buffer.compare(again.body as Buffer, res.body as Buffer)).toBe(0);
  });

  it('lists every exception over several pages, and what became of each missing item', async () => {
    const { shelves } = await makeRoom(t, 2);
    const items = await makeItems(t, 80);
    await receive(items, shelves[0]!.code);
    const audit = await startAudit(t, { locationCode: shelves[0]!.code });
    await scanEach(t, audit.id, [shelves[0]!.code, items[0]!]);
    expect((await closeAudit(t, audit.id)).status).toBe(201);
    const found = items[1]!;
    const resolved = await t.http
      .post(`/api/v1/audits/unable-to-locate/${found}/resolve`)
      .set(auth(t.tokens.supervisor))
      .send({ resolution: 'found', locationCode: shelves[1]!.code });
    expect(resolved.status).toBe(201);
    const res = await pdf(`/api/v1/audits/${audit.id}/report.pdf`);
    expect(res.status).toBe(200);
    const bytes = res.body as Buffer;
    if (process.env.AUDIT_REPORT_OUT) writeFileSync(process.env.AUDIT_REPORT_OUT, bytes);
    expect(pages(bytes)).toBeGreaterThan(2);
    const text = pdfText(bytes);
    expect(text).toContain('Certified with the following exceptions: 79 missing.');
    for (const ev of items.slice(1)) expect(text).toContain(printedNo(ev));
    expect(text).toContain(`found `);
    expect(text).toContain(`(seq ${resolved.body.seq})`);
    expect(text.match(/Page \d+ of \d+/g)?.length).toBe(pages(bytes));
    expect(text.indexOf('Counts')).toBeGreaterThan(text.indexOf(printedNo(items.at(-1)!)));
  });
});
