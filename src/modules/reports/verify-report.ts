import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalJson } from '../../ledger/canonical';
import { openCheckpoint } from '../../ledger/checkpoint';
import { sha256Hex } from '../../ledger/hash';
import { noteKeyId, rawPublicKey } from '../../ledger/signer';
import { fingerprintOf } from './fingerprint';
import type { ItemReportPayload, ReportEvent, ReportHead } from './item.payload';
import { closingFacts, displayOrder, eventCells, itemReportSpec } from './item.render';
import { closingSentence } from './pdf/closing';
import { renderPdf } from './pdf/stream';
import { checkEventProof } from './proofs';

/** One thing verify-report checked, and what it found. */
export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ReportVerification {
  ok: boolean;
  /** False when the file is not a report at all (no attachments, not a PDF): exit 2. */
  readable: boolean;
  fingerprint: string | null;
  kind: string | null;
  checks: Check[];
}

/** The files a PDF carries (qpdf --list-attachments / --show-attachment). */
export function pdfAttachments(path: string): Map<string, Buffer> {
  let listing: string;
  try {
    listing = execFileSync('qpdf', ['--list-attachments', path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: string; code?: string };
    if (e.code === 'ENOENT')
      throw new Error('qpdf is not installed (apt-get install qpdf): it reads the attachments');
    throw new Error(`not a readable PDF: ${(e.stderr ?? String(err)).trim().split('\n')[0]}`);
  }
  const files = new Map<string, Buffer>();
  for (const line of listing.split('\n')) {
    const at = line.indexOf(' -> ');
    if (at < 0) continue;
    const name = line.slice(0, at).trim();
    files.set(name, execFileSync('qpdf', [`--show-attachment=${name}`, path], { maxBuffer: 1 << 30 }));
  }
  return files;
}

/** SHA-256 of an exported event's RFC 8785 text without its `hash` (docs/ledger-format.md §3). */
function eventHash(event: Record<string, unknown>): string {
  const { hash: _hash, ...rest } = event;
  return sha256Hex(canonicalJson(rest));
}

/** The text of a PDF in content order, without any whitespace (wrapped cells compare this way). */
function squashedText(path: string): string {
  return execFileSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8', maxBuffer: 1 << 30 }).replace(
    /\s+/g,
    '',
  );
}

const squash = (s: string) => s.replace(/\s+/g, '');

interface CaseLike extends ReportHead {
  items?: { evidenceNo: string; line: string; events: ReportEvent[] }[];
  section?: ItemReportPayload['section'];
}

/**
 * Checks a report offline, from what the file carries: the payload's fingerprint and canonical form,
 * the checkpoint's signature (by the attached key, or by `trustedKey` when given), that the payload
 * names that checkpoint and key, each event's hash and inclusion proof against the signed root, and
 * that what is printed is the payload's — for an item report by drawing the PDF again from the
 * attachments and comparing the bytes, and for every report by finding each printed row in its text.
 */
export async function verifyReport(path: string, trustedKeyPem?: string): Promise<ReportVerification> {
  const checks: Check[] = [];
  const add = (check: string, ok: boolean, detail: string) => {
    checks.push({ check, ok, detail });
    return ok;
  };
  const result = (readable = true): ReportVerification => ({
    ok: readable && checks.every((c) => c.ok),
    readable,
    fingerprint: payload ? fingerprintOf(payloadBytes!) : null,
    kind: payload?.kind ?? null,
    checks,
  });
  let payload: CaseLike | null = null;
  let payloadBytes: Buffer | null = null;
  let files: Map<string, Buffer>;
  try {
    files = pdfAttachments(path);
  } catch (err) {
    add('attachments', false, (err as Error).message);
    return result(false);
  }
  payloadBytes = files.get('payload.json') ?? null;
  const noteBytes = files.get('checkpoint.txt');
  const keyBytes = files.get('public-key.pem');
  if (!payloadBytes || !noteBytes || !keyBytes) {
    add(
      'attachments',
      false,
      files.size === 0
        ? 'the PDF carries no attachments: it is not a custody report, or they were removed'
        : `missing ${['payload.json', 'checkpoint.txt', 'public-key.pem'].filter((n) => !files.has(n)).join(', ')}`,
    );
    return result(false);
  }
  add(
    'attachments',
    true,
    `${files.size} files: ${[...files.keys()].slice(0, 4).join(', ')}${files.size > 4 ? ', …' : ''}`,
  );
  const fingerprint = fingerprintOf(payloadBytes);
  try {
    payload = JSON.parse(payloadBytes.toString('utf8')) as CaseLike;
  } catch {
    add('payload', false, 'payload.json is not JSON');
    return result(false);
  }
  add(
    'payload is canonical',
    canonicalJson(payload) === payloadBytes.toString('utf8'),
    'RFC 8785 form, so its SHA-256 is well defined',
  );
  add('fingerprint', true, fingerprint);

  // The key and the checkpoint it signs.
  let raw: Buffer;
  try {
    raw = rawPublicKey(createPublicKey(keyBytes));
  } catch {
    add('public key', false, 'public-key.pem is not a public key');
    return result();
  }
  if (trustedKeyPem !== undefined) {
    const trusted = rawPublicKey(createPublicKey(trustedKeyPem));
    add(
      'trusted key',
      trusted.equals(raw),
      trusted.equals(raw) ? 'the attached key is the trusted key' : 'the attached key is NOT the trusted key',
    );
  }
  const note = noteBytes.toString('utf8');
  const opened = openCheckpoint(note, createPublicKey(keyBytes), raw);
  if (
    !add('checkpoint signature', opened.ok, opened.ok ? `signed by the attached key` : opened.reason) ||
    !opened.ok
  )
    return result();
  const cp = opened.checkpoint;
  const keyId = noteKeyId(cp.origin, raw).toString('hex');
  const p = payload;
  const same =
    p.checkpoint?.treeSize === cp.treeSize &&
    p.checkpoint.rootHash === cp.rootHash &&
    p.checkpoint.headHash === cp.headHash &&
    p.checkpoint.signedAt === cp.signedAt;
  add(
    'payload names the checkpoint',
    same,
    same ? `tree size ${cp.treeSize}, root ${cp.rootHash}` : 'the payload names another checkpoint',
  );
  const keyOk = p.ledger?.origin === cp.origin && p.ledger.keyId === keyId;
  add(
    'payload names the key',
    keyOk,
    keyOk
      ? `key ${keyId} (${cp.origin})`
      : `the payload names key ${p.ledger?.keyId}, the checkpoint is signed by ${keyId}`,
  );

  // Events: their hashes, and (item reports) each one's inclusion proof.
  const events = p.section?.events ?? p.items?.flatMap((i) => i.events) ?? [];
  if (p.section) {
    let bad = 0;
    for (const e of p.section.events) {
      if (!e.event || eventHash(e.event) !== e.hash || e.event.seq !== e.seq) {
        bad += 1;
        add(`event ${e.seq}`, false, 'the event in the payload does not hash to the hash it names');
        continue;
      }
      const proof = files.get(`proofs/seq-${e.seq}.tlog-proof`);
      const verdict = checkEventProof(proof?.toString('utf8'), e, cp);
      if (!verdict.ok) {
        bad += 1;
        add(`event ${e.seq}`, false, verdict.reason);
      }
    }
    if (bad === 0)
      add(
        'events and proofs',
        true,
        `${p.section.events.length} events hash right and are in the signed tree`,
      );
  }

  // What is printed.
  const text = squashedText(path);
  let missing = 0;
  for (const e of p.section ? displayOrder(p.section.events) : events) {
    for (const cell of eventCells(e)) {
      if (!text.includes(squash(cell))) {
        missing += 1;
        if (missing <= 5)
          add(`printed event ${e.seq}`, false, `the PDF does not print “${cell.slice(0, 80)}”`);
      }
    }
  }
  for (const item of p.items ?? []) {
    if (!text.includes(squash(item.line))) {
      missing += 1;
      if (missing <= 5) add(`printed item ${item.evidenceNo}`, false, 'the PDF does not print its line');
    }
  }
  const closing = squash(closingSentence(closingFacts(p, fingerprint)));
  if (!text.includes(closing)) {
    missing += 1;
    add('printed closing', false, 'the PDF does not state this fingerprint, checkpoint and key');
  }
  if (missing === 0)
    add('printed rows', true, `every one of ${events.length} events is printed as the payload says`);
  if (p.kind === 'item_custody' && p.section) {
    const proofs = new Map(
      [...files]
        .filter(([n]) => n.startsWith('proofs/seq-'))
        .map(([n, b]) => [Number(n.slice(11, -11)), b.toString('utf8')]),
    );
    const again = await renderPdf(
      await itemReportSpec(p as ItemReportPayload, {
        canonicalPayload: payloadBytes.toString('utf8'),
        fingerprint,
        checkpointNote: note,
        publicKeyPem: keyBytes.toString('utf8'),
        proofs,
      }),
    );
    const same = again.equals(readFileSync(path));
    add(
      'drawn from the payload',
      same,
      same
        ? 'drawing the report again from its attachments gives this file, byte for byte'
        : 'drawing the report again from its attachments gives another file: its pages are not (only) the payload’s',
    );
  }
  return result();
}
