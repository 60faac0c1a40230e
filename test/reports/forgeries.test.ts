import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical';
import { signCheckpoint } from '../../src/ledger/checkpoint';
import { generateSigner, noteKeyId } from '../../src/ledger/signer';
import { fingerprintOf } from '../../src/modules/reports/fingerprint';
import type { Field, ItemReportPayload } from '../../src/modules/reports/item.payload';
import { itemReportSpec } from '../../src/modules/reports/item.render';
import { renderPdf } from '../../src/modules/reports/pdf/stream';
import { pdfAttachments, verifyReport } from '../../src/modules/reports/verify-report';
import {
  closeAudit,
  getPdf,
  makeItems,
  makeRoom,
  receiveAll,
  scanEach,
  startAudit,
} from '../audits/fixtures';
import { PYTHON, ROOT } from '../cli/python';
import { custody, custodyEnv } from '../cli/spawn';
import { act, approved, completion, scan, stockedItems } from '../disposal/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { getReport, makeRichItem, pdfOrProblem } from './fixtures';
import { pdfFile, pdfText, squash } from './pdf-tools';

// The acceptance tester's forgeries (G9, G10): change what the payload prints, not the proven events,
// re-canonicalise, re-fingerprint and draw the PDF again with the project's own renderer.

const t = makeTestApp();
const rich = await makeRichItem(t);
const genuine = pdfFile((await getReport(t, rich.evidenceNo)).body as Buffer);
const keyFile = pdfFile(Buffer.from(t.signer.publicKeyPem), 'ledger.pub.pem');

type Forge = (p: ItemReportPayload) => void;

/** The genuine report with its payload edited by `forge`, fingerprinted and drawn again. */
async function forged(forge: Forge, resign = false): Promise<string> {
  const files = pdfAttachments(genuine);
  const p = JSON.parse(files.get('payload.json')!.toString('utf8')) as ItemReportPayload;
  let note = files.get('checkpoint.txt')!.toString('utf8');
  let publicKeyPem = files.get('public-key.pem')!.toString('utf8');
  const old = note;
  if (resign) {
    const s = generateSigner();
    note = signCheckpoint({ origin: p.ledger.origin, ...p.checkpoint }, s).note;
    p.ledger.keyId = noteKeyId(p.ledger.origin, s.publicKeyRaw).toString('hex');
    publicKeyPem = s.publicKeyPem;
  }
  forge(p);
  const canonical = canonicalJson(p);
  const proofs = new Map(
    [...files]
      .filter(([n]) => n.startsWith('proofs/seq-'))
      .map(([n, b]) => [Number(n.slice(11, -11)), b.toString('utf8').replace(old, note)] as const),
  );
  const pdf = await renderPdf(
    await itemReportSpec(p, {
      canonicalPayload: canonical,
      fingerprint: fingerprintOf(canonical),
      checkpointNote: note,
      publicKeyPem,
      proofs,
    }),
  );
  return pdfFile(pdf);
}

const set = (fields: Field[], label: string, value: string) =>
  fields.map(([k, v]): Field => [k, k === label ? value : v]);

const event = (p: ItemReportPayload, type: string) => p.section.events.find((e) => e.event?.type === type)!;

/** forge.mts "text": one finding, a check-out's time and party, a broken seal, who recorded it. */
const text: Forge = (p) => {
  const ex = event(p, 'item_examined');
  ex.details = ex.details.replace('3,310 W', '1,310 W');
  const co = event(p, 'item_checked_out');
  co.when = '2026-12-01 09:00 UTC';
  co.fromTo = co.fromTo.replace('Екібастұз қалалық соты', 'ТОО «Неизвестный покупатель»');
  const ret = event(p, 'item_returned');
  ret.seal = ret.seal.replace('BROKEN', 'intact');
  ret.by = 'Иван Петров (supervisor)';
};

/** forge.mts "head": the serial number, the seizing officer, the case title, the requester. */
const head: Forge = (p) => {
  p.section.seizure = set(p.section.seizure, 'Seizing officer', 'Майор И. Иванов');
  p.section.item = set(p.section.item, 'Serial number', 'FORGED-SERIAL-0001');
  p.case.fields = set(p.case.fields, 'Title', 'Подделанное название');
  p.requestedBy.name = 'Судья Подделкин';
};

function python(path: string, ...args: string[]) {
  const r = spawnSync(PYTHON ?? 'python3', [join(ROOT, 'scripts', 'verify-report.py'), path, ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const failures = (r: Awaited<ReturnType<typeof verifyReport>>) =>
  r.checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail}`);

describe('forged item reports', () => {
  it('the genuine report verifies: every printed fact follows from proven events', async () => {
    const r = await verifyReport(genuine, t.signer.publicKeyPem);
    expect(failures(r)).toEqual([]);
    expect(r.keyTrusted).toBe(true);
    expect(r.checks.map((c) => c.check)).toContain('printed facts follow from the events');
    const py = python(genuine, '--public-key', keyFile);
    expect(py.out).toContain('ok   printed facts follow from the events');
    expect(py.code).toBe(0);
  });

  it('refuses changed event text (forge.mts text) in both verifiers', async () => {
    const path = await forged(text);
    const r = await verifyReport(path, t.signer.publicKeyPem);
    expect(r.ok).toBe(false);
    const f = failures(r).join('\n');
    expect(f).toContain('prints details');
    expect(f).toContain('prints when');
    expect(f).toContain('prints fromTo');
    expect(f).toContain('prints seal');
    expect(f).toContain('prints by');
    const py = python(path, '--public-key', keyFile);
    expect(py.code).toBe(1);
    expect(py.out).toContain('FAIL printed facts');
    expect(py.out).toContain('prints seal');
  });

  it('refuses changed header facts (forge.mts head) in both verifiers', async () => {
    const path = await forged(head);
    const f = failures(await verifyReport(path, t.signer.publicKeyPem)).join('\n');
    expect(f).toContain('Serial number');
    expect(f).toContain('Seizing officer');
    expect(f).toContain('Title');
    expect(f).toContain('Судья Подделкин');
    const py = python(path, '--public-key', keyFile);
    expect(py.code).toBe(1);
    for (const s of ['Serial number', 'Seizing officer', 'Title', 'Судья Подделкин'])
      expect(py.out).toContain(s);
  });

  it('refuses a name changed in a proven source event (it no longer hashes)', async () => {
    const path = await forged((p) => {
      const user = p.sources.find((e) => e.type === 'user_created')!;
      user.data.displayName = 'Иван Петров';
    });
    const r = await verifyReport(path, t.signer.publicKeyPem);
    expect(failures(r).join('\n')).toMatch(/source event in the payload does not hash/);
    expect(python(path, '--public-key', keyFile).code).toBe(1);
  });

  it('without a trusted key says so, gives the key’s fingerprint and exits 3 (forgekey.mts)', async () => {
    const path = await forged(() => {}, true);
    const env = custodyEnv(t.dbPath, '/nonexistent.key');
    const cli = await custody(env, 'verify-report', path);
    expect(cli.code).toBe(3);
    expect(cli.stdout).toContain('NOT verified');
    expect(cli.stdout).toMatch(/anyone can make such a file; its SHA-256 is [0-9a-f]{64}/);
    expect(cli.stdout).not.toMatch(/verifies\n?$/);
    const py = python(path);
    expect(py.code).toBe(3);
    expect(py.out).toContain('NOT verified');
    expect(py.out).toMatch(/anyone can make such a file/);
    // With the ledger's key both refuse it.
    expect((await custody(env, 'verify-report', path, '--key', keyFile)).code).toBe(1);
    expect(python(path, '--public-key', keyFile).code).toBe(1);
    // The genuine report without a key: consistent, but not verified either.
    expect((await custody(env, 'verify-report', genuine)).code).toBe(3);
    expect((await custody(env, 'verify-report', genuine, '--key', keyFile)).code).toBe(0);
  });

  it('refuses a white box drawn over a page (qpdf --overlay) in both verifiers', async () => {
    // overlay2.mjs: cover the seal cell of the "Returned" row, write "intact".
    const PDFDocument = createRequire(import.meta.url)('pdfkit') as typeof import('pdfkit');
    const doc = new PDFDocument({ size: 'A4', margin: 0 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.rect(385, 207, 60, 36).fill('#ffffff');
    doc.fillColor('#000').font('Helvetica').fontSize(7).text('intact', 387, 209);
    doc.end();
    await new Promise((r) => doc.on('end', r));
    const overlay = pdfFile(Buffer.concat(chunks), 'overlay.pdf');
    const path = join(overlay, '..', 'forged-overlay.pdf');
    execFileSync('qpdf', [genuine, '--overlay', overlay, '--to=2', '--', path]);
    const r = await verifyReport(path, t.signer.publicKeyPem);
    expect(failures(r).join('\n')).toContain('drawn from the payload');
    const py = python(path, '--public-key', keyFile);
    expect(py.code).toBe(1);
    expect(py.out).toContain('FAIL pages as generated: page 2');
    expect(py.out).toContain('does not redraw them');
  });
});

describe('a disposed item’s report', () => {
  it('tells the disposal in plain words, and both verifiers derive the same words', async () => {
    const { evidenceNos } = await stockedItems(t, 1);
    const no = evidenceNos[0]!;
    const id = await approved(t, [no]);
    expect((await scan(t, id, no)).status).toBe(201);
    expect((await act(t, id, 'complete', completion())).status).toBe(200);
    const pdf = (await getReport(t, no)).body as Buffer;
    const path = pdfFile(pdf);
    const p = JSON.parse(pdfAttachments(path).get('payload.json')!.toString('utf8')) as ItemReportPayload;
    const d = p.section.disposition!;
    expect(d.what).toBe('Destroyed');
    expect(d.details).toMatch(
      /^by crushing at Ekibastuz, industrial zone 4, MetallService LLP yard under court order 2-1187\/2026 of 2026-02-20 \(Экибастузский городской суд\); certificate \S+; witnesses: .+ \(auditor\); Әлібек Сейітов, Senior inspector \(Prosecutor’s Office of Pavlodar Region\)$/,
    );
    const authorised = p.section.events.find((e) => e.event?.type === 'item_disposal_authorised')!;
    expect(authorised.details).toBe(
      'to be destroyed under court order 2-1187/2026 of 2026-02-20 (Экибастузский городской суд)',
    );
    const text = pdfText(path);
    for (const raw of ['usr_', 'dsp_', 'court_order', 'disposalId', 'userId', 'asic miner'])
      expect(text).not.toContain(raw);
    expect(squash(text)).toContain(squash(d.details));
    expect(failures(await verifyReport(path, t.signer.publicKeyPem))).toEqual([]);
    expect(python(path, '--public-key', keyFile)).toMatchObject({ code: 0 });
    // Its destruction certificate: both verifiers check it (the events it rests on, each proven).
    const cert = await t.http
      .get(`/api/v1/disposals/${id}/certificate.pdf`)
      .set(auth(t.tokens.prosecutor))
      .buffer(true)
      .parse(pdfOrProblem);
    expect(cert.status).toBe(200);
    const certPath = pdfFile(cert.body as Buffer);
    await expectBothVerifyTheirEvents(certPath);
  });
});

/** A certificate or an audit report: both verifiers accept it, having proven the events it rests on. */
async function expectBothVerifyTheirEvents(path: string): Promise<void> {
  const r = await verifyReport(path, t.signer.publicKeyPem);
  expect(failures(r)).toEqual([]);
  expect(r.checks.find((c) => c.check === 'events and proofs')?.detail).toMatch(
    /^[1-9]\d* events the report rests on/,
  );
  const py = python(path, '--public-key', keyFile);
  expect(py.out).toMatch(/ok {3}events and proofs: [1-9]\d* events the report rests on/);
  expect(py.code).toBe(0);
}

describe('an audit report', () => {
  it('both verifiers check the audit events it rests on, each proven', async () => {
    const { shelves } = await makeRoom(t, 1);
    const items = await makeItems(t, 2);
    await receiveAll(t, items, shelves[0]!.code);
    const audit = await startAudit(t, { locationCode: shelves[0]!.code });
    await scanEach(t, audit.id, [shelves[0]!.code, items[0]!]);
    expect((await closeAudit(t, audit.id)).status).toBe(201);
    const res = await getPdf(t, `/api/v1/audits/${audit.id}/report.pdf`);
    expect(res.status).toBe(200);
    const path = pdfFile(res.body as Buffer);
    await expectBothVerifyTheirEvents(path);
  });

  it('a report of a kind the verifiers do not know fails by name, without a traceback', async () => {
    const path = await forged((p) => {
      (p as unknown as { kind: string }).kind = 'horoscope';
    });
    const r = await verifyReport(path, t.signer.publicKeyPem);
    expect(failures(r)).toContain(
      'report kind: unknown report kind “horoscope”: this verifier cannot check what it prints',
    );
    const py = python(path, '--public-key', keyFile);
    expect(py.code).toBe(1);
    expect(py.out).toContain('FAIL report kind: unknown report kind "horoscope"');
    expect(py.out).not.toContain('Traceback');
  });
});
