/**
 * Builds a tiny ledger through the real services and prints the worked example of
 * docs/ledger-format.md: export lines, the exact hashed bytes, hashes, the Merkle tree, two signed
 * checkpoints and the public key. The key comes from a fixed seed and the clock is fixed, so only
 * the random ids (ledger, user, case) change between runs.
 *   npx tsx scripts/ledger-example.ts            prints the example (Markdown)
 *   npx tsx scripts/ledger-example.ts --write    replaces it in docs/ledger-format.md, between
 *                                                the `example:begin` and `example:end` markers
 * test/docs/ledger-format.test.ts checks the blocks pasted into the doc, and this script's output.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../src/context';
import { openDb } from '../src/db/open';
import { type EventRow, exportLineOf, hashedTextOf } from '../src/ledger/events-read';
import { leafHash, nodeHash } from '../src/ledger/merkle';
import { consistencyProof, eventInclusion } from '../src/ledger/proofs';
import { signerFromPrivateKey } from '../src/ledger/signer';
import * as cases from '../src/modules/cases/cases.service';
import { bundleChunks, planEvidenceBundle } from '../src/modules/ledger/bundle';
import * as users from '../src/modules/users/users.service';

/** The example key's seed: 32 bytes 0x00…0x1f. An example only — never use a published key. */
export const EXAMPLE_SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function fence(info: string, body: string): string {
  return `\`\`\`${info}\n${body.endsWith('\n') ? body : `${body}\n`}\`\`\``;
}

export function renderLedgerExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'custody-example-'));
  const dbPath = join(dir, 'custody.db');
  const db = openDb(dbPath);
  try {
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519, Buffer.from(EXAMPLE_SEED_HEX, 'hex')]),
      format: 'der',
      type: 'pkcs8',
    });
    const signer = signerFromPrivateKey(privateKey);
    // A fixed clock: each transaction (and each checkpoint) reads the next instant.
    let tick = 0;
    const clock = () => new Date(Date.UTC(2026, 2, 14, 9, 30, 0, 0) + 61_250 * tick++);
    const { ledger } = createContext({ db, signer, clock, checkpointIntervalMs: 0 });

    const clerk = ledger.writeNow((tx) =>
      users.createUser(tx, { username: 'aigul', displayName: 'Айгүл Қасымова', role: 'clerk' }, 'system'),
    );
    const early = ledger.checkpoint();
    const opened = ledger.writeNow((tx) =>
      cases.openCase(
        tx,
        {
          number: '12/345-2026',
          title: 'Illegal mining farm, Ekibastuz',
          legalBasis: 'Criminal Code art. 214',
          agency: 'Financial Monitoring Agency',
          openedOn: '2026-03-14',
          occurredAt: '2026-03-14T14:05:00+05:00',
        },
        clerk.id,
      ),
    );
    const cp = ledger.checkpoint();

    const rows = db.sqlite.prepare('SELECT * FROM events ORDER BY seq').all() as EventRow[];
    const leaves = rows.map((r) => leafHash(r.hash));
    const [l1, l2, l3] = leaves as [Buffer, Buffer, Buffer];
    const n12 = nodeHash(l1, l2);
    const root = nodeHash(n12, l3);
    if (root.toString('hex') !== cp.rootHash)
      throw new Error('example: Merkle root disagrees with the ledger');

    const out: string[] = [];
    const add = (title: string, text: string, info: string, body: string) =>
      out.push(`#### ${title}`, '', text, '', fence(info, body), '');

    add(
      'Export (`custody export --out ledger.ndjson`)',
      'Three events: the genesis event, a clerk created by the command line (`actor` is `system`), and a case opened by that clerk (`actor` is the clerk’s id; `occurredAt` keeps the client’s `+05:00`).',
      'ndjson example:export',
      rows.map((r) => exportLineOf(r)).join('\n'),
    );
    add(
      'The bytes that are hashed',
      'Line *n* is the RFC 8785 text of event *n* without `hash`, exactly: its UTF-8 bytes (no newline) are what SHA-256 is computed over. Non-ASCII text is not escaped.',
      'ndjson example:hashed',
      rows.map((r) => hashedTextOf(r)).join('\n'),
    );
    add(
      'Hashes and Merkle leaves',
      '`hash` = SHA-256 of the line above; `leaf` = SHA-256(0x00 ‖ the 32 bytes of `hash`).',
      'text example:hashes',
      rows.map((r, i) => `seq ${r.seq} hash ${r.hash} leaf ${leaves[i]!.toString('hex')}`).join('\n'),
    );
    add(
      'Merkle tree (RFC 6962) of size 3',
      'MTH splits at the largest power of two below n: root = node(node(leaf1, leaf2), leaf3), node(l, r) = SHA-256(0x01 ‖ l ‖ r).',
      'text example:merkle',
      [
        `node(1,2) ${n12.toString('hex')}`,
        `root      ${root.toString('hex')}`,
        `root (base64, as in the note) ${root.toString('base64')}`,
      ].join('\n'),
    );
    add(
      'Signed checkpoint at tree size 3 (`ledger.ndjson.checkpoint`)',
      'A C2SP signed note. The signed message is everything up to and including the newline after the `time` line.',
      'text example:checkpoint',
      cp.note,
    );
    add(
      'An earlier checkpoint, at tree size 2',
      'Signed before the case was opened. The three-event export extends it: its first two events hash to this head and these two leaves to this root.',
      'text example:checkpoint-early',
      early.note,
    );
    add(
      'The checkpoint file beside the database (`custody.db.checkpoints`)',
      'One JSON object per line, appended and fsynced whenever a checkpoint is signed.',
      'ndjson example:checkpoints-file',
      readFileSync(`${dbPath}.checkpoints`, 'utf8'),
    );
    add(
      'Public key (`GET /api/v1/ledger/public-key`, `ledger.ndjson.pub.pem`)',
      'Ed25519, SubjectPublicKeyInfo PEM. The raw 32 bytes in base64 are what `ledger_created` names; the key id is the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ raw key).',
      'text example:public-key-pem',
      signer.publicKeyPem,
    );
    add(
      'Public key, raw',
      `The example key is derived from the 32-byte seed \`${EXAMPLE_SEED_HEX}\`, so anyone can reproduce the signatures (Ed25519 signatures are deterministic). A real ledger's key is random and secret.`,
      'text example:public-key-raw',
      [
        `key name   ${ledger.origin}`,
        `public key ${signer.publicKeyRaw.toString('base64')}`,
        `key id     ${ledger.keyId}`,
      ].join('\n'),
    );
    // Proofs (§14) and the case's evidence bundle (§15), against the checkpoint at tree size 3.
    const inc = eventInclusion(db, 3, cp);
    const inc1 = eventInclusion(db, 1, cp);
    const cons = consistencyProof(db, 2, 3);
    add(
      'Inclusion proofs in the tree of size 3 (`GET /api/v1/ledger/proofs/inclusion?seq=…&treeSize=3`)',
      'The path of seq 3 (leaf index 2) is one hash, node(1,2); the path of seq 1 (index 0) is leaf 2, then leaf 3. Each leads to the root above.',
      'text example:inclusion',
      [`seq 3 index 2 proof ${inc.proof.join(' ')}`, `seq 1 index 0 proof ${inc1.proof.join(' ')}`].join(
        '\n',
      ),
    );
    add(
      'The same proof of seq 3 as a tlog-proof (`tlogProof`, `seq3.tlog-proof`)',
      '`extra` is the base64 of the event’s export line; then the index, the path in base64, an empty line and the checkpoint note.',
      'text example:tlog-proof',
      inc.tlogProof,
    );
    add(
      'Consistency proof from tree size 2 to 3 (`GET /api/v1/ledger/proofs/consistency?from=2&to=3`)',
      'One hash, leaf 3: with it, the root of size 2 (= node(1,2)) grows into the root of size 3.',
      'text example:consistency',
      `from 2 to 3 proof ${cons.map((h) => h.toString('hex')).join(' ')}`,
    );
    const plan = planEvidenceBundle(db, ledger, opened.id, cp.treeSize);
    const bundleText = [...bundleChunks(db, plan)].join('');
    add(
      'Evidence bundle of the case (`GET /api/v1/cases/<caseId>/evidence-bundle`)',
      'The header, then the genesis event and the case’s one event, each with its inclusion path in the tree of size 3. The clerk’s `user_created` event is not the case’s, so it is not in the bundle.',
      'ndjson example:bundle',
      bundleText,
    );
    return out.join('\n');
  } finally {
    db.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'ledger-format.md');
export const BEGIN = '<!-- example:begin (generated by scripts/ledger-example.ts) -->';
export const END = '<!-- example:end -->';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const example = renderLedgerExample();
  if (process.argv.includes('--write')) {
    const doc = readFileSync(DOC_PATH, 'utf8');
    const from = doc.indexOf(BEGIN);
    const to = doc.indexOf(END);
    if (from < 0 || to < from) throw new Error(`${DOC_PATH} has no example markers`);
    writeFileSync(DOC_PATH, `${doc.slice(0, from + BEGIN.length)}\n\n${example}\n${doc.slice(to)}`);
  } else process.stdout.write(example);
}
