import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The fenced blocks tagged `example:<name>`, each as its exact text (ending with a newline). */
export function exampleBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of markdown.matchAll(/^```\S+ example:([\w-]+)\n([\s\S]*?)^```$/gm)) {
    blocks.set(m[1]!, m[2]!);
  }
  return blocks;
}

const sha256 = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

interface Note {
  origin: string;
  treeSize: number;
  root: Buffer;
  head: string;
  time: string;
  body: string;
  keyName: string;
  blob: Buffer;
}

/** Parses a signed note by the doc's §7.1 alone (strict base64, exact line shapes). */
function parseNote(note: string): Note | string {
  const at = note.indexOf('\n\n');
  if (at < 0) return 'no empty line';
  const body = note.slice(0, at + 1);
  const [origin, size, root, head, time, extra] = body.split('\n');
  if (extra !== '' || !origin || !size || !root || !head || !time) return 'body shape';
  if (!/^[1-9]\d*$/.test(size)) return 'tree size';
  if (!head.startsWith('head ') || !time.startsWith('time ')) return 'extension lines';
  const sigLines = note.slice(at + 2).split('\n');
  if (sigLines.at(-1) !== '' || sigLines.length !== 2) return 'signature block shape';
  const sig = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/.exec(sigLines[0]!);
  if (!sig) return 'signature line';
  const strict = (b64: string) => {
    const bytes = Buffer.from(b64, 'base64');
    return bytes.toString('base64') === b64 ? bytes : null;
  };
  const rootBytes = strict(root);
  const blob = strict(sig[2]!);
  if (rootBytes?.length !== 32) return 'root base64';
  if (blob?.length !== 68) return 'signature base64';
  return {
    origin,
    treeSize: Number(size),
    root: rootBytes,
    head: head.slice(5),
    time: time.slice(5),
    body,
    keyName: sig[1]!,
    blob,
  };
}

/**
 * Every check a stranger can make from the doc's example alone, with node:crypto and the
 * `canonicalize` package — no project code. Returns the problems found (empty when all hold).
 */
export function independentProblems(blocks: Map<string, string>): string[] {
  const problems: string[] = [];
  const need = (name: string) => {
    const b = blocks.get(name);
    if (b === undefined) throw new Error(`the doc has no example:${name} block`);
    return b;
  };
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };

  // Events: hash, link, seq, and the hashed bytes.
  const events = lines(need('export')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const hashed = lines(need('hashed'));
  check(events.length >= 3 && hashed.length === events.length, 'event and hashed-line counts');
  let prev = '0'.repeat(64);
  events.forEach((e, i) => {
    const { hash, ...rest } = e;
    check(
      Object.keys(e).sort().join() ===
        'actor,data,entityId,entityType,hash,occurredAt,prevHash,recordedAt,seq,type',
      `members of event ${i + 1}`,
    );
    check(e.seq === i + 1, `seq of line ${i + 1}`);
    check(rest.prevHash === prev, `prevHash of seq ${i + 1}`);
    const text = canonicalize(rest)!;
    check(text === hashed[i], `hashed text of seq ${i + 1}`);
    check(sha256(Buffer.from(text, 'utf8')).toString('hex') === hash, `hash of seq ${i + 1}`);
    check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(String(e.recordedAt)), `recordedAt of ${i + 1}`);
    prev = String(hash);
  });
  const genesis = events[0]!;
  const g = genesis.data as {
    ledgerId: string;
    formatVersion: number;
    checkpointKey: { algorithm: string; keyName: string; keyId: string; publicKey: string };
  };
  check(genesis.type === 'ledger_created' && genesis.actor === 'system', 'genesis type and actor');
  check(g.formatVersion === 1 && genesis.entityId === g.ledgerId, 'genesis ledgerId and formatVersion');
  const origin = `custody-ledger/${g.ledgerId}`;
  check(g.checkpointKey.algorithm === 'Ed25519' && g.checkpointKey.keyName === origin, 'genesis key name');

  // Public key: PEM, raw, key id, and the genesis event all name the same key.
  const pem = createPublicKey(need('public-key-pem'));
  const der = pem.export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32);
  const keyId = sha256(origin, Buffer.from([0x0a, 0x01]), raw).subarray(0, 4);
  const rawBlock = need('public-key-raw');
  check(rawBlock.includes(`key name   ${origin}\n`), 'key name line');
  check(rawBlock.includes(`public key ${raw.toString('base64')}\n`), 'raw public key line');
  check(rawBlock.includes(`key id     ${keyId.toString('hex')}\n`), 'key id line');
  check(g.checkpointKey.publicKey === raw.toString('base64'), 'genesis names the PEM key');
  check(g.checkpointKey.keyId === keyId.toString('hex'), 'genesis key id');

  // Merkle tree by hand: leaves, node(1,2), root = node(node(1,2), 3).
  const leaves = events.map((e) => sha256(Buffer.from([0]), Buffer.from(String(e.hash), 'hex')));
  const hashLines = lines(need('hashes'));
  events.forEach((e, i) => {
    check(
      hashLines[i] === `seq ${i + 1} hash ${String(e.hash)} leaf ${leaves[i]!.toString('hex')}`,
      `hashes line ${i + 1}`,
    );
  });
  const node = (l: Buffer, r: Buffer) => sha256(Buffer.from([1]), l, r);
  const n12 = node(leaves[0]!, leaves[1]!);
  const root3 = node(n12, leaves[2]!);
  const merkle = need('merkle');
  check(merkle.includes(`node(1,2) ${n12.toString('hex')}\n`), 'merkle node(1,2)');
  check(merkle.includes(`root      ${root3.toString('hex')}\n`), 'merkle root');
  check(merkle.includes(`as in the note) ${root3.toString('base64')}\n`), 'merkle root base64');

  // Both signed notes: shape, origin, key id, Ed25519 signature, and the chain they commit to.
  const expectations = [
    { name: 'checkpoint', size: 3, root: root3 },
    { name: 'checkpoint-early', size: 2, root: n12 },
  ];
  for (const x of expectations) {
    const note = parseNote(need(x.name));
    if (typeof note === 'string') {
      problems.push(`${x.name}: ${note}`);
      continue;
    }
    check(note.origin === origin && note.keyName === origin, `${x.name}: origin and key name`);
    check(note.blob.subarray(0, 4).equals(keyId), `${x.name}: key id`);
    check(
      verify(null, Buffer.from(note.body, 'utf8'), pem, note.blob.subarray(4)),
      `${x.name}: Ed25519 signature`,
    );
    check(note.treeSize === x.size, `${x.name}: tree size`);
    check(note.root.equals(x.root), `${x.name}: root`);
    check(note.head === events[x.size - 1]?.hash, `${x.name}: head`);
    check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(note.time), `${x.name}: time`);
  }

  // The plain checkpoint file holds the same notes.
  const file = lines(need('checkpoints-file')).map(
    (l) => JSON.parse(l) as { treeSize: number; note: string },
  );
  check(
    JSON.stringify(file) ===
      JSON.stringify([
        { treeSize: 2, note: need('checkpoint-early') },
        { treeSize: 3, note: need('checkpoint') },
      ]),
    'checkpoints file',
  );
  return problems;
}

/** The canonical-number/string table of §3.2: `input → canonical` per line. */
export function canonicalExamples(markdown: string): [string, string][] {
  const block = exampleBlocks(markdown).get('canonical');
  if (!block) throw new Error('the doc has no example:canonical block');
  return lines(block).map((l) => {
    const at = l.indexOf(' \u2192 ');
    return [l.slice(0, at), l.slice(at + 3)];
  });
}
