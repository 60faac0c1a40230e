import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../src/ledger/checkpoint';
import { generateSigner } from '../../src/ledger/signer';
import type { ItemReportPayload } from '../../src/modules/reports/item.payload';
import { type Evidence, itemReportSpec } from '../../src/modules/reports/item.render';
import { createReportDocument } from '../../src/modules/reports/pdf/document';
import { renderPdf } from '../../src/modules/reports/pdf/stream';
import { pdfAttachments, verifyReport } from '../../src/modules/reports/verify-report';
import { PYTHON, ROOT } from '../cli/python';
import { custody, custodyEnv } from '../cli/spawn';
import { auth, makeTestApp } from '../helpers/app';
import { getReport, makeRichItem, pdfOrProblem } from './fixtures';
import { pdfFile } from './pdf-tools';

const t = makeTestApp();
const rich = await makeRichItem(t);
const genuine = pdfFile((await getReport(t, rich.evidenceNo)).body as Buffer);

/** What the genuine report carries, to forge from. */
function parts() {
  const files = pdfAttachments(genuine);
  const canonical = files.get('payload.json')!.toString('utf8');
  const proofs = new Map<number, string>();
  for (const [name, bytes] of files)
    if (name.startsWith('proofs/seq-')) proofs.set(Number(name.slice(11, -11)), bytes.toString('utf8'));
  const evidence: Evidence = {
    canonicalPayload: canonical,
    fingerprint: createHash('sha256').update(canonical).digest('hex'),
    checkpointNote: files.get('checkpoint.txt')!.toString('utf8'),
    publicKeyPem: files.get('public-key.pem')!.toString('utf8'),
    proofs,
  };
  return { payload: JSON.parse(canonical) as ItemReportPayload, evidence };
}

/** scripts/verify-report.py on a file: exit code and output. */
function python(path: string, ...args: string[]) {
  const r = spawnSync(PYTHON ?? 'python3', [join(ROOT, 'scripts', 'verify-report.py'), path, ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const failed = (r: Awaited<ReturnType<typeof verifyReport>>) =>
  r.checks.filter((c) => !c.ok).map((c) => c.check);

describe('verify-report', () => {
  it('accepts the report as the service made it, and checks it against a trusted key', async () => {
    const r = await verifyReport(genuine, t.signer.publicKeyPem);
    expect(failed(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        'fingerprint',
        'checkpoint signature',
        'trusted key',
        'printed rows',
        'drawn from the payload',
      ]),
    );
  });

  it('accepts a case report too (its payload, checkpoint, key and every printed row)', async () => {
    const caseId = (
      t.app.locals.ctx.db.sqlite
        .prepare('SELECT case_id AS c FROM items WHERE evidence_no = ?')
        .get(rich.evidenceNo) as {
        c: string;
      }
    ).c;
    const res = await t.http
      .get(`/api/v1/cases/${caseId}/report.pdf`)
      .set(auth(t.tokens.prosecutor))
      .buffer(true)
      .parse(pdfOrProblem);
    const path = pdfFile(res.body as Buffer);
    const r = await verifyReport(path, t.signer.publicKeyPem);
    expect(failed(r)).toEqual([]);
    expect(r.kind).toBe('case_custody');
    const keyFile = pdfFile(Buffer.from(t.signer.publicKeyPem), 'ledger.pub.pem');
    expect(python(path, '--public-key', keyFile)).toMatchObject({
      code: 0,
      out: expect.stringContaining('ok   printed rows'),
    });
  });

  it('refuses a report whose pages print one event differently from its payload', async () => {
    const { payload, evidence } = parts();
    const moved = payload.section.events.find((e) => e.seq === rich.moved.seq)!;
    moved.fromTo = moved.fromTo.replace('Shelf B', 'Shelf C');
    const forged = pdfFile(await renderPdf(await itemReportSpec(payload, evidence)));
    const r = await verifyReport(forged);
    expect(r.ok).toBe(false);
    expect(failed(r)).toEqual(
      expect.arrayContaining([`printed event ${rich.moved.seq}`, 'drawn from the payload']),
    );
  });

  it('refuses a report with an altered proof', async () => {
    const { payload, evidence } = parts();
    const seq = rich.received.seq;
    const proof = evidence.proofs.get(seq)!;
    const lines = proof.split('\n');
    const at = lines.findIndex((l) => /^[A-Za-z0-9+/]{43}=$/.test(l));
    lines[at] = Buffer.alloc(32, 7).toString('base64');
    const proofs = new Map(evidence.proofs).set(seq, lines.join('\n'));
    const forged = pdfFile(await renderPdf(await itemReportSpec(payload, { ...evidence, proofs })));
    const r = await verifyReport(forged);
    expect(failed(r)).toEqual([`event ${seq}`]);
    const py = python(forged);
    expect(py.out).toContain(`FAIL event ${seq}`);
    expect(py.code).toBe(1);
  });

  it('refuses a checkpoint signed by another key', async () => {
    const { payload, evidence } = parts();
    const other = generateSigner();
    const cp = { origin: payload.ledger.origin, ...payload.checkpoint };
    const note = signCheckpoint(cp, other).note;
    // The note alone swapped: its signature is not the attached key's.
    const a = pdfFile(await renderPdf(await itemReportSpec(payload, { ...evidence, checkpointNote: note })));
    expect(failed(await verifyReport(a))).toContain('checkpoint signature');
    expect(python(a).out).toContain('FAIL checkpoint signature');
    // Note and key swapped: it verifies under the key it carries, but that is not the key the
    // payload names, nor the ledger's key a verifier trusts.
    const b = pdfFile(
      await renderPdf(
        await itemReportSpec(payload, {
          ...evidence,
          checkpointNote: note,
          publicKeyPem: other.publicKeyPem,
        }),
      ),
    );
    const rb = await verifyReport(b, t.signer.publicKeyPem);
    expect(failed(rb)).toEqual(expect.arrayContaining(['trusted key', 'payload names the key']));
    const keyFile = pdfFile(Buffer.from(t.signer.publicKeyPem), 'ledger.pub.pem');
    const py = python(b, '--public-key', keyFile);
    expect(py.out).toContain('FAIL trusted key');
    expect(py.out).toContain('FAIL payload names the key');
    expect(py.code).toBe(1);
  });

  it('exits 0 for a good report, 1 for a forgery and 2 for a PDF without attachments', async () => {
    const env = custodyEnv(t.dbPath, '/nonexistent.key');
    const keyFile = pdfFile(Buffer.from(t.signer.publicKeyPem), 'ledger.pub.pem');
    const good = await custody(env, 'verify-report', genuine, '--key', keyFile);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('verifies');
    const doc = createReportDocument({ title: 'plain', author: 'nobody', date: new Date(0) });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.addPage();
    doc.end();
    await new Promise((r) => doc.on('end', r));
    const plain = pdfFile(Buffer.concat(chunks), 'plain.pdf');
    const none = await custody(env, 'verify-report', plain);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('no attachments');
    expect(python(plain)).toMatchObject({ code: 2, out: expect.stringContaining('no attachments') });
    const notPdf = pdfFile(Buffer.from('hello'), 'not.pdf');
    writeFileSync(notPdf, 'hello');
    expect((await custody(env, 'verify-report', notPdf)).code).toBe(2);
    expect(python(notPdf).code).toBe(2);
  });
});
