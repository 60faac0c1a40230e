import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalJson } from '../../ledger/canonical';
import { type Checkpoint, openCheckpoint } from '../../ledger/checkpoint';
import { sha256Hex } from '../../ledger/hash';
import { parseTlogProof } from '../../ledger/proofs';
import { noteKeyId, rawPublicKey } from '../../ledger/signer';
import { fingerprintOf } from './fingerprint';
import {
  type DerivedItemReport,
  deriveItemReport,
  type LedgerRecord,
  type RecordSource,
} from './item.derive';
import type { Field, ItemReportPayload, ReportEvent, ReportHead } from './item.payload';
import { closingFacts, displayOrder, eventCells, itemReportSpec } from './item.render';
import { closingSentence } from './pdf/closing';
import { renderPdf } from './pdf/stream';
import { checkEventProof } from './proofs';
import { printUtc } from './words';

/** One thing verify-report checked, and what it found. */
export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ReportVerification {
  /** Every check holds (the key may still be only the one the file carries: see `keyTrusted`). */
  ok: boolean;
  /** The checkpoint was checked against a key the caller trusts (--key), not only the attached one. */
  keyTrusted: boolean;
  /** SHA-256 of the attached raw Ed25519 key, hex: to compare with the ledger's key by eye. */
  keyFingerprint: string | null;
  /** What the report prints or states that the file cannot prove, in words. */
  notes: string[];
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
  const notes: string[] = [];
  let keyTrusted = false;
  let keyFingerprint: string | null = null;
  const result = (readable = true): ReportVerification => ({
    ok: readable && checks.every((c) => c.ok),
    keyTrusted,
    keyFingerprint,
    notes,
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
  keyFingerprint = sha256Hex(raw);
  if (trustedKeyPem !== undefined) {
    const trusted = rawPublicKey(createPublicKey(trustedKeyPem));
    keyTrusted = add(
      'trusted key',
      trusted.equals(raw),
      trusted.equals(raw) ? 'the attached key is the trusted key' : 'the attached key is NOT the trusted key',
    );
  } else
    notes.push(
      `no trusted key given: the signature is checked only against the key the file carries, and anyone can make such a file; its SHA-256 is ${keyFingerprint} — compare it with the ledger's key, or pass --key`,
    );
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

  // Events: their hashes, and (item reports) each one's inclusion proof and what it prints.
  const kind = String(p.kind);
  const caseItems = kind === 'case_custody' && Array.isArray(p.items) ? p.items : [];
  const events =
    kind === 'item_custody' ? (p.section?.events ?? []) : caseItems.flatMap((i) => i.events ?? []);
  if (kind === 'item_custody' && p.section) checkItemReport(p as ItemReportPayload, files, cp, add, notes);
  else if (kind === 'case_custody')
    notes.push(
      'the events of this report carry no inclusion proofs: its rows are checked against its payload only, not against the ledger',
    );
  else if (kind === 'disposal_certificate' || kind === 'audit') {
    checkRestingEvents(p as unknown as { events?: Record<string, unknown>[] }, files, cp, add);
    notes.push(
      `a ${kind === 'audit' ? 'audit report' : 'disposal certificate'} is checked for its fingerprint, signature and the events it rests on (each proven), and that it states this fingerprint; what its pages print is not re-derived from those events by this verifier`,
    );
  } else {
    add('report kind', false, `unknown report kind “${kind}”: this verifier cannot check what it prints`);
    return result();
  }

  // What is printed.
  const text = squashedText(path);
  let missing = 0;
  for (const e of kind === 'item_custody' ? displayOrder(events) : events) {
    for (const cell of eventCells(e)) {
      if (!text.includes(squash(cell))) {
        missing += 1;
        if (missing <= 5)
          add(`printed event ${e.seq}`, false, `the PDF does not print “${cell.slice(0, 80)}”`);
      }
    }
  }
  for (const item of caseItems) {
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
    add(
      events.length > 0 ? 'printed rows' : 'printed closing',
      true,
      events.length > 0
        ? `every one of ${events.length} events is printed as the payload says`
        : 'the PDF states this fingerprint, checkpoint and key',
    );
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

type Add = (check: string, ok: boolean, detail: string) => boolean;

/**
 * Certificates and audit reports: every event they rest on (one proof each; the event from the
 * payload's `events`, or else from the proof's `extra`, its export line) hashes right and is in the tree.
 */
function checkRestingEvents(
  p: { events?: Record<string, unknown>[] },
  files: Map<string, Buffer>,
  cp: Checkpoint,
  add: Add,
) {
  const given = new Map((Array.isArray(p.events) ? p.events : []).map((e) => [Number(e.seq), e]));
  const proofs = [...files].filter(([n]) => /^proofs\/seq-\d+\.tlog-proof$/.test(n));
  let bad = 0;
  for (const [name, bytes] of proofs) {
    const seq = Number(name.slice(11, -11));
    const text = bytes.toString('utf8');
    let event = given.get(seq);
    if (!event) {
      try {
        const extra = parseTlogProof(text).extra;
        event = extra ? (JSON.parse(extra.toString('utf8')) as Record<string, unknown>) : undefined;
      } catch {
        event = undefined;
      }
    }
    if (!event || event.seq !== seq || typeof event.hash !== 'string' || eventHash(event) !== event.hash) {
      bad += 1;
      add(`event ${seq}`, false, 'the event it rests on is not there, or does not hash to its hash');
      continue;
    }
    const verdict = checkEventProof(text, { seq, hash: event.hash }, cp);
    if (!verdict.ok) {
      bad += 1;
      add(`event ${seq}`, false, verdict.reason);
    }
  }
  for (const seq of given.keys())
    if (!files.has(`proofs/seq-${seq}.tlog-proof`)) {
      bad += 1;
      add(`event ${seq}`, false, 'no inclusion proof');
    }
  if (bad === 0)
    add(
      'events and proofs',
      true,
      `${proofs.length} events the report rests on hash right and are in the signed tree`,
    );
}

/** The payload's events by entity, as the derivation asks for them. */
class PayloadSource implements RecordSource {
  private readonly by = new Map<string, LedgerRecord[]>();
  constructor(records: readonly LedgerRecord[]) {
    for (const r of records) {
      const key = `${r.entityType}:${r.entityId}`;
      const list = this.by.get(key) ?? [];
      list.push(r);
      this.by.set(key, list);
    }
    for (const list of this.by.values()) list.sort((a, b) => a.seq - b.seq);
  }
  of(entityType: string, entityId: string): readonly LedgerRecord[] {
    return this.by.get(`${entityType}:${entityId}`) ?? [];
  }
}

const cut = (s: string) => (s.length > 70 ? `${s.slice(0, 70)}…` : s);

/** Label/value lists: the first label whose value the events do not give, in words; or null. */
function fieldsDiffer(name: string, printed: readonly Field[], derived: readonly Field[]): string | null {
  for (let i = 0; i < Math.max(printed.length, derived.length); i++) {
    const [pl, pv] = printed[i] ?? ['', ''];
    const [dl, dv] = derived[i] ?? ['', ''];
    if (pl !== dl || pv !== dv)
      return pl === dl
        ? `${name} “${pl}” prints “${cut(pv)}”, the events give “${cut(dv)}”`
        : `${name} prints “${cut(pl || '(nothing)')}” where the events give “${cut(dl || '(nothing)')}”`;
  }
  return null;
}

const ROW_CELLS = ['when', 'what', 'fromTo', 'details', 'seal', 'by'] as const;

/**
 * An item report's events: each hashes right and is proven in the signed tree (the item's events
 * and the sources), and everything the report prints is what those events give (item.derive.ts).
 */
function checkItemReport(
  p: ItemReportPayload,
  files: Map<string, Buffer>,
  cp: Checkpoint,
  add: Add,
  notes: string[],
) {
  const rows = p.section.events;
  const sources = Array.isArray(p.sources) ? p.sources : [];
  let bad = 0;
  const itemEvents: LedgerRecord[] = [];
  const proven = (r: Record<string, unknown> | undefined, seq: number, hash: string, what: string) => {
    if (!r || eventHash(r) !== hash || r.seq !== seq || r.hash !== hash) {
      bad += 1;
      add(`event ${seq}`, false, `the ${what} in the payload does not hash to the hash it names`);
      return false;
    }
    const verdict = checkEventProof(
      files.get(`proofs/seq-${seq}.tlog-proof`)?.toString('utf8'),
      { seq, hash },
      cp,
    );
    if (!verdict.ok) {
      bad += 1;
      add(`event ${seq}`, false, verdict.reason);
      return false;
    }
    return true;
  };
  for (const e of rows) if (proven(e.event, e.seq, e.hash, 'event')) itemEvents.push(e.event as LedgerRecord);
  for (const r of sources) proven(r, Number(r.seq), String(r.hash), 'source event');
  if (bad > 0) return;
  add(
    'events and proofs',
    true,
    `${rows.length} events of the item and ${sources.length} events its header and names come from hash right and are in the signed tree`,
  );

  // Whose events: all of this item, in ledger order.
  const evidenceNo = p.parameters.evidenceNo;
  const foreign = itemEvents.find(
    (e, i) =>
      e.entityType !== 'item' || e.entityId !== evidenceNo || (i > 0 && e.seq <= itemEvents[i - 1]!.seq),
  );
  if (foreign || itemEvents.length === 0 || p.section.evidenceNo !== evidenceNo) {
    add(
      'the item’s events',
      false,
      foreign
        ? `event ${foreign.seq} is not the next event of ${String(evidenceNo)}`
        : 'the report names another item',
    );
    return;
  }
  let derived: DerivedItemReport;
  try {
    derived = deriveItemReport(itemEvents, new PayloadSource(sources), p.requestedBy.id);
  } catch (err) {
    add('printed facts', false, (err as Error).message);
    return;
  }
  const wrong: string[] = [];
  const order = [...rows].map((e) => e.seq).join(',') === derived.section.events.map((e) => e.seq).join(',');
  if (!order) wrong.push('the rows are not the item’s events in ledger order');
  derived.section.events.forEach((d, i) => {
    const e = rows[i];
    if (!e) return;
    for (const cell of ROW_CELLS)
      if (e[cell] !== d[cell])
        wrong.push(`event ${e.seq} prints ${cell} “${cut(e[cell])}”, the event gives “${cut(d[cell])}”`);
    if (e.corrects !== d.corrects || e.correctedBy.join(',') !== d.correctedBy.join(','))
      wrong.push(`event ${e.seq} names corrections the events do not`);
  });
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const f = [
    fieldsDiffer('case field', p.case.fields, derived.case.fields),
    fieldsDiffer('evidence field', p.section.item, derived.section.item),
    fieldsDiffer('seizure field', p.section.seizure, derived.section.seizure),
  ];
  for (const x of f) if (x) wrong.push(x);
  if (
    !same(
      [p.case.id, p.case.number, p.case.title],
      [derived.case.id, derived.case.number, derived.case.title],
    )
  )
    wrong.push('the case named is not the case the registration names');
  if (p.section.printed !== derived.section.printed)
    wrong.push('the evidence number printed is not the item’s');
  if (!same(p.section.valuations, derived.section.valuations))
    wrong.push('the valuation history is not what the valued events give');
  if (!same(p.section.disposition, derived.section.disposition))
    wrong.push('the final disposition is not what the events give');
  if (p.header !== derived.header || p.subheader !== derived.subheader)
    wrong.push('the page header is not the case and item the events give');
  if (p.madeAt !== printUtc(cp.signedAt)) wrong.push('“Made on” is not the checkpoint’s time');
  const req = derived.requester;
  if (req === null)
    notes.push(
      `the requester ${p.requestedBy.name} (${p.requestedBy.role}) is not a user in the ledger at this checkpoint: their name is the service's statement`,
    );
  else if (req.name !== p.requestedBy.name)
    wrong.push(
      `the requester is printed as “${p.requestedBy.name}”, the ledger names ${p.requestedBy.id} “${req.name}”`,
    );
  else if (req.role !== p.requestedBy.role)
    notes.push(
      `the requester was ${req.role} at the checkpoint; the report names the role they had when they asked (${p.requestedBy.role})`,
    );
  for (const w of wrong.slice(0, 8)) add('printed facts', false, w);
  if (wrong.length > 8) add('printed facts', false, `and ${wrong.length - 8} more`);
  if (wrong.length === 0)
    add(
      'printed facts follow from the events',
      true,
      `every row, the evidence, seizure and case fields, valuations, disposition and names are what the ${itemEvents.length + sources.length} proven events give`,
    );
  if (derived.unproven.length > 0)
    notes.push(`printed without an event that proves it: ${derived.unproven.join(', ')} (shown as its id)`);
  notes.push(
    'that the report was asked for by its requester, and the service address of its QR code, are the service’s statements: the report_made event that records them comes after the checkpoint',
    'the proofs show these events are in the ledger; they cannot show that no other event of the item, case or named users exists before the checkpoint (an omitted event is not detected by the file alone)',
  );
}
