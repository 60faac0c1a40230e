import { createPublicKey } from 'node:crypto';
import { ledgerOrigin, openCheckpoint } from '../../ledger/checkpoint';
import { eventHashOf, leafHash, verifyInclusion } from '../../ledger/proofs';
import { noteKeyId, rawPublicKey } from '../../ledger/signer';
import { BUNDLE_FORMAT, type BundleMembers } from './bundle';

export type BundleCheck =
  | {
      ok: true;
      caseId: string;
      caseNumber: string;
      treeSize: number;
      events: number;
      keyId: string;
      pinned: boolean;
    }
  | { ok: false; line: number; reason: string };

class Bad extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks an evidence bundle offline (docs/ledger-format.md §15.3): the key, the checkpoint's
 * signature, and for every event its hash, its place in the case and its inclusion proof against
 * the signed root. `publicKeyPem`, when given, pins the key: a bundle re-signed by another key fails.
 */
export function verifyBundle(text: string, publicKeyPem?: string): BundleCheck {
  try {
    return check(text, publicKeyPem);
  } catch (err) {
    if (err instanceof Bad) return { ok: false, line: err.line, reason: err.message };
    throw err;
  }
}

function parseLine(line: string, n: number): Record<string, unknown> {
  try {
    const v = JSON.parse(line) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new Bad(n, `line ${n} is not a JSON object`);
}

function rawKeyOf(pem: unknown, line: number): Buffer {
  try {
    const key = createPublicKey(String(pem));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    return rawPublicKey(key);
  } catch {
    throw new Bad(line, 'the public key is not an Ed25519 PEM key');
  }
}

function check(text: string, pinnedPem?: string): BundleCheck {
  if (!text.endsWith('\n')) throw new Bad(0, 'the bundle does not end with a newline (truncated?)');
  const lines = text.slice(0, -1).split('\n');
  const header = parseLine(lines[0] ?? '', 1);
  if (header.bundle !== BUNDLE_FORMAT) throw new Bad(1, `line 1 is not a ${BUNDLE_FORMAT} header`);
  const { ledgerId, caseId, treeSize, checkpoint: note, events: count } = header;
  if (typeof ledgerId !== 'string' || typeof caseId !== 'string' || typeof note !== 'string') {
    throw new Bad(1, 'the header lacks ledgerId, caseId or checkpoint');
  }
  if (typeof treeSize !== 'number' || typeof count !== 'number')
    throw new Bad(1, 'the header lacks treeSize or events');
  const raw = rawKeyOf(header.publicKey, 1);
  const pinned = pinnedPem !== undefined;
  if (pinned && !rawKeyOf(pinnedPem, 0).equals(raw))
    throw new Bad(1, 'the bundle’s key is not the key given');
  const origin = ledgerOrigin(ledgerId);
  const opened = openCheckpoint(note, createPublicKey(String(header.publicKey)), raw);
  if (!opened.ok) throw new Bad(1, `checkpoint: ${opened.reason}`);
  const cp = opened.checkpoint;
  if (cp.origin !== origin || cp.treeSize !== treeSize)
    throw new Bad(1, 'the checkpoint is not of this ledger and tree size');
  const root = Buffer.from(cp.rootHash, 'hex');
  const members = header.members as BundleMembers | undefined;
  const allowed = new Set<string>();
  for (const t of ['case', 'seizure', 'item'] as const) {
    for (const id of members?.[t] ?? []) allowed.add(`${t}\u0000${id}`);
  }
  if (!allowed.has(`case\u0000${caseId}`)) throw new Bad(1, 'members does not name the case');
  if (lines.length - 1 !== count)
    throw new Bad(lines.length, `the header announces ${count} events; the bundle has ${lines.length - 1}`);

  let prev: { seq: number; hash: string } | null = null;
  for (let i = 1; i < lines.length; i++) {
    const n = i + 1;
    const record = parseLine(lines[i]!, n);
    const event = record.event as Record<string, unknown> | undefined;
    const proof = record.proof;
    if (!event || typeof event !== 'object' || !Array.isArray(proof))
      throw new Bad(n, 'a record is {event, proof}');
    const hash = eventHashOf(event);
    if (!hash || hash !== event.hash)
      throw new Bad(n, `event ${String(event.seq)} does not hash to its hash`);
    const seq = event.seq as number;
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > treeSize)
      throw new Bad(n, `seq ${seq} is not in the tree`);
    if (prev && seq <= prev.seq) throw new Bad(n, 'events are not in increasing seq order');
    if (prev && seq === prev.seq + 1 && event.prevHash !== prev.hash)
      throw new Bad(n, `seq ${seq} does not link to seq ${prev.seq}`);
    if (i === 1) checkGenesis(event, ledgerId, raw, n);
    else if (!allowed.has(`${String(event.entityType)}\u0000${String(event.entityId)}`)) {
      throw new Bad(
        n,
        `seq ${seq} concerns ${String(event.entityType)} ${String(event.entityId)}, which is not of the case`,
      );
    }
    if (!proof.every((h) => typeof h === 'string' && HEX64.test(h)))
      throw new Bad(n, 'a proof is a list of hex hashes');
    const path = (proof as string[]).map((h) => Buffer.from(h, 'hex'));
    if (!verifyInclusion(leafHash(hash), seq - 1, treeSize, path, root)) {
      throw new Bad(n, `the proof of seq ${seq} does not lead to the signed root`);
    }
    if (seq === treeSize && hash !== cp.headHash)
      throw new Bad(n, 'the last event is not the checkpoint’s head');
    prev = { seq, hash };
  }
  return {
    ok: true,
    caseId,
    caseNumber: String(header.caseNumber ?? ''),
    treeSize,
    events: count,
    keyId: noteKeyId(origin, raw).toString('hex'),
    pinned,
  };
}

function checkGenesis(event: Record<string, unknown>, ledgerId: string, raw: Buffer, n: number): void {
  const data = event.data as { ledgerId?: unknown; checkpointKey?: { publicKey?: unknown } } | undefined;
  if (event.seq !== 1 || event.type !== 'ledger_created' || data?.ledgerId !== ledgerId) {
    throw new Bad(n, 'the first record is not this ledger’s ledger_created event');
  }
  if (data.checkpointKey?.publicKey !== raw.toString('base64')) {
    throw new Bad(n, 'the genesis event names another key than the bundle’s');
  }
}
