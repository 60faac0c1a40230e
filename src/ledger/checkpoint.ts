import type { KeyObject } from 'node:crypto';
import { noteKeyId, type Signer, verifySignature } from './signer';

/** A signed statement of the ledger's state: what every report and export names. */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  /** RFC 6962 Merkle root over the events' leaf hashes, lowercase hex. */
  rootHash: string;
  /** The hash of the event with seq = treeSize (64 zeros for an empty ledger). */
  headHash: string;
  /** When it was signed: UTC, milliseconds, Z. */
  signedAt: string;
  /** The C2SP signed note, exactly as signed. */
  note: string;
}

export function ledgerOrigin(ledgerId: string): string {
  return `custody-ledger/${ledgerId}`;
}

/** The note body (C2SP tlog-checkpoint): origin, tree size, base64 root, then extension lines. */
export function checkpointBody(c: Omit<Checkpoint, 'note'>): string {
  const root = Buffer.from(c.rootHash, 'hex').toString('base64');
  return `${c.origin}\n${c.treeSize}\n${root}\nhead ${c.headHash}\ntime ${c.signedAt}\n`;
}

/** Signs a checkpoint as a C2SP signed note; the key name is the origin. */
export function signCheckpoint(c: Omit<Checkpoint, 'note'>, signer: Signer): Checkpoint {
  const body = checkpointBody(c);
  const keyId = noteKeyId(c.origin, signer.publicKeyRaw);
  const signature = signer.sign(Buffer.from(body, 'utf8'));
  const sigLine = `\u2014 ${c.origin} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
  return { ...c, note: `${body}\n${sigLine}` };
}

const BODY = /^([^\n]+)\n(\d+)\n([A-Za-z0-9+/=]+)\nhead ([0-9a-f]{64})\ntime ([^\n]+)\n$/;

/**
 * Parses a signed note and checks its signature by `publicKey` under key name = origin.
 * Returns the checkpoint, or a reason it is not valid. Never trusts anything unsigned.
 */
export function openCheckpoint(
  note: string,
  publicKey: KeyObject,
  publicKeyRaw: Buffer,
): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
  const split = note.indexOf('\n\n');
  if (split < 0) return { ok: false, reason: 'note has no signature block' };
  const body = note.slice(0, split + 1);
  const m = BODY.exec(body);
  if (!m) return { ok: false, reason: 'note body is not a custody-ledger checkpoint' };
  const [, origin, size, rootB64, headHash, signedAt] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const keyId = noteKeyId(origin, publicKeyRaw);
  const prefix = `\u2014 ${origin} `;
  for (const line of note.slice(split + 2).split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const text = line.slice(prefix.length);
    const sig = Buffer.from(text, 'base64');
    // Strict base64: Buffer.from ignores stray characters and padding bits, which would let
    // different note texts carry one signature.
    if (sig.toString('base64') !== text) return { ok: false, reason: 'signature is not canonical base64' };
    if (sig.length !== 68 || !sig.subarray(0, 4).equals(keyId)) continue;
    if (verifySignature(publicKey, Buffer.from(body, 'utf8'), sig.subarray(4))) {
      const rootHash = Buffer.from(rootB64, 'base64').toString('hex');
      return { ok: true, checkpoint: { origin, treeSize: Number(size), rootHash, headHash, signedAt, note } };
    }
    return { ok: false, reason: 'signature does not verify' };
  }
  return { ok: false, reason: 'no signature by the ledger key' };
}
