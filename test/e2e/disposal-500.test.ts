import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTODY_EVENT_TYPES } from '../../src/modules/custody/state-machine';
import { makeParty, makeShelf, nextWeek } from '../custody/fixtures';
import { act, authority, completion, WITNESSES } from '../disposal/fixtures';
import { pdfBytes, uploadDocument } from '../documents/fixtures';
import { auth, makeTestApp, tempDir } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeSeizure } from '../items/fixtures';

const t = makeTestApp();
const dir = tempDir();
const N = 500;
const printed = (ev: string) => `EV-${ev.slice(2, 4)}-${ev.slice(4, 11)}-${ev.slice(11)}`;

/** One valid-looking body per custody event type (what a clerk might try on a destroyed rig). */
function attempts(shelf: string, partyId: string): Record<string, Record<string, unknown>> {
  return {
    received: { type: 'received', locationCode: shelf },
    moved: { type: 'moved', locationCode: shelf },
    transferred: { type: 'transferred', custodian: 'clerk1' },
    checked_out: { type: 'checked_out', partyId, purpose: 'expert', dueAt: nextWeek() },
    returned: { type: 'returned', locationCode: shelf, condition: 'ok', seal: 'intact' },
    seal_changed: { type: 'seal_changed', newSealNo: 'KZ-1', reason: 'x' },
    examined: { type: 'examined', examiner: 'N. Ermekov', findings: 'none' },
    valued: {
      type: 'valued',
      amountMinor: 1,
      currency: 'USD',
      method: 'book_value',
      appraiser: 'x',
      asOf: '2026-03-01',
    },
    note: { type: 'note', text: 'the certificate is filed in the case' },
  };
}

describe('done when: 500 rigs destroyed under a court order, through the API', () => {
  it('proposed by a clerk, approved by a supervisor, scanned at destruction with two witnesses, certified', async () => {
    // Intake: 500 GPU rigs of one raid, on one shelf, valued.
    const c = await makeCase(t);
    const s = await makeSeizure(t, c.id);
    const rows = Array.from({ length: N }, (_, i) => ({
      category: 'gpu_rig',
      make: 'Custom',
      model: '6× RTX 3070 open frame',
      serialNumber: `RIG-EKB-${String(i + 1).padStart(4, '0')}`,
      powerW: 1400,
    }));
    const imported = await t.http
      .post(`/api/v1/items/import?caseId=${c.id}&seizureId=${s.id}`)
      .set(auth(t.tokens.clerk))
      .send(rows);
    expect(imported.status).toBe(201);
    const evidenceNos = imported.body.evidenceNos as string[];
    const shelf = await makeShelf(t, 'Rack 7');
    const intake = await t.http
      .post('/api/v1/events/batch')
      .set(auth(t.tokens.clerk))
      .send({
        events: evidenceNos.flatMap((evidenceNo, i) => [
          { evidenceNo, event: { type: 'received', locationCode: shelf.code } },
          {
            evidenceNo,
            event: {
              type: 'valued',
              amountMinor: 150_000 + i,
              currency: 'USD',
              method: 'market_comparison',
              appraiser: 'Ермеков Н.',
              asOf: '2026-03-01',
            },
          },
        ]),
      });
    expect(intake.status).toBe(201);

    // A clerk proposes destroying them under the court order, its scan attached.
    const order = await uploadDocument(t, pdfBytes('court order 2-1187/2026, Ekibastuz city court'));
    const proposal = await t.http
      .post('/api/v1/disposals')
      .set(auth(t.tokens.clerk))
      .send({
        disposition: 'destroy',
        authority: authority({ document: order.sha256 }),
        selection: { caseId: c.id },
      });
    expect(proposal.status).toBe(201);
    const id = proposal.body.id as string;
    expect(proposal.body.counts.items).toBe(N);

    // A different person, a supervisor, approves: every rig is authorised for disposal.
    const approval = await act(t, id, 'approve', { note: 'checked against the original order' });
    expect(approval.status).toBe(200);

    // At the destruction site each rig's label is scanned; one is not there.
    const [missing, ...present] = [evidenceNos[137]!, ...evidenceNos.filter((_, i) => i !== 137)];
    for (const ev of present) {
      const res = await t.http
        .post(`/api/v1/disposals/${id}/items`)
        .set(auth(t.tokens.clerk))
        .send({ code: ev });
      expect(res.status).toBe(201);
    }
    const done = await act(t, id, 'complete', completion({ witnesses: WITNESSES }));
    expect(done.status).toBe(200);
    expect(done.body.counts).toEqual({ items: N, scanned: N - 1, missing: 1, openDiscrepancies: 1 });
    const queue = await t.http
      .get('/api/v1/disposals/discrepancies?open=true')
      .set(auth(t.tokens.supervisor));
    expect(queue.body.items.map((i: { evidenceNo: string }) => i.evidenceNo)).toEqual([missing]);

    // The certificate lists every destroyed rig, the missing one as an anomaly, and renders as pages.
    const cert = await t.http
      .get(`/api/v1/disposals/${id}/certificate.pdf`)
      .set(auth(t.tokens.prosecutor))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (x: Buffer) => chunks.push(x));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(cert.status).toBe(200);
    expect(cert.headers['content-type']).toBe('application/pdf');
    const file = join(dir, 'certificate.pdf');
    writeFileSync(file, cert.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const ev of present) expect(text).toContain(printed(ev));
    expect(text).toContain(`Certificate of destruction № ${done.body.certificateNo}`);
    expect(text).toMatch(/Anomalies[\s\S]*not scanned at the disposal/);
    expect(text.split(printed(missing)).length - 1).toBe(1);
    expect(text).toContain('Әлібек Сейітов');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(5);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    const fingerprint = cert.headers['x-report-fingerprint'] as string;
    const described = await t.http.get(`/api/v1/reports/${fingerprint}`).set(auth(t.tokens.auditor));
    expect(described.body).toMatchObject({
      kind: 'disposal_certificate',
      payload: { certificateNo: done.body.certificateNo },
    });
    expect(described.body.payload.items).toHaveLength(N - 1);

    // Destroyed rigs refuse every event but notes (and corrections): one by one, and as a scan session.
    const party = await makeParty(t);
    const rig = present[0]!;
    for (const [type, body] of Object.entries(attempts(shelf.code, party.id))) {
      const res = await t.http.post(`/api/v1/items/${rig}/events`).set(auth(t.tokens.clerk)).send(body);
      if (type === 'note') expect(res.status).toBe(201);
      else expectProblem(res, 409, 'invalid_transition');
    }
    expect(Object.keys(attempts(shelf.code, party.id))).toEqual(
      CUSTODY_EVENT_TYPES.filter((x) => x !== 'correction'),
    );
    const before = t.head();
    const moved = await t.http
      .post('/api/v1/events/batch')
      .set(auth(t.tokens.clerk))
      .send({
        events: present.map((evidenceNo) => ({
          evidenceNo,
          event: { type: 'moved', locationCode: shelf.code },
        })),
      });
    expectProblem(moved, 400, 'batch_invalid');
    expect(moved.body.errors).toHaveLength(N - 1);
    expect(new Set(moved.body.errors.map((e: { code: string }) => e.code))).toEqual(
      new Set(['invalid_transition']),
    );
    expect(t.head()).toBe(before);
  });
});
