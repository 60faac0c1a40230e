import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTlogProof, parseTlogProof, verifyConsistency, verifyInclusion } from '../../src/ledger/proofs';
import { verifyBundle } from '../../src/modules/ledger/bundle.verify';
import { PYTHON, runVerifier } from '../cli/python';
import { tempDir } from '../helpers/app';
import { exampleBlocks, lines } from './example-blocks';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = tempDir();
const blocks = exampleBlocks(readFileSync(join(ROOT, 'docs', 'ledger-format.md'), 'utf8'));
const need = (name: string) => {
  const b = blocks.get(name);
  if (b === undefined) throw new Error(`the doc has no example:${name} block`);
  return b;
};
const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

// By hand, from the export block: the three leaves and node(1,2) (§6).
const exportLines = lines(need('export'));
const events = exportLines.map((l) => JSON.parse(l) as { hash: string; seq: number });
const [l1, l2, l3] = events.map((e) => sha256(Buffer.from([0]), Buffer.from(e.hash, 'hex'))) as [
  Buffer,
  Buffer,
  Buffer,
];
const n12 = sha256(Buffer.from([1]), l1, l2);
const root3 = sha256(Buffer.from([1]), n12, l3);
const raw = Buffer.from(
  (JSON.parse(exportLines[0]!) as { data: { checkpointKey: { publicKey: string } } }).data.checkpointKey
    .publicKey,
  'base64',
);

describe('docs/ledger-format.md §14–15 worked examples', () => {
  it('the inclusion and consistency paths are the hashes the page says, and verify (§14.2, §14.4)', () => {
    expect(need('inclusion')).toBe(
      `seq 3 index 2 proof ${n12.toString('hex')}\nseq 1 index 0 proof ${l2.toString('hex')} ${l3.toString('hex')}\n`,
    );
    expect(need('consistency')).toBe(`from 2 to 3 proof ${l3.toString('hex')}\n`);
    expect(verifyInclusion(l3, 2, 3, [n12], root3)).toBe(true);
    expect(verifyInclusion(l1, 0, 3, [l2, l3], root3)).toBe(true);
    expect(verifyConsistency(2, 3, [l3], n12, root3)).toBe(true);
  });

  it('the tlog-proof carries seq 3’s export line and checks with the genesis key (§14.3)', () => {
    const text = need('tlog-proof');
    const p = parseTlogProof(text);
    expect(p.index).toBe(2);
    expect(p.extra?.toString('utf8')).toBe(exportLines[2]);
    expect(p.proof).toEqual([n12]);
    expect(p.checkpointNote).toBe(need('checkpoint'));
    expect(checkTlogProof(text, raw)).toMatchObject({ ok: true, index: 2 });
    expect(checkTlogProof(text.replace('index 2', 'index 1'), raw).ok).toBe(false);
  });

  it('the bundle holds seq 1 and the case’s event as export lines, and both verifiers accept it (§15)', () => {
    const bundle = need('bundle');
    const [header, ...records] = lines(bundle).map((l) => JSON.parse(l));
    expect(header).toMatchObject({ bundle: 'custody-ledger/evidence-bundle@v1', treeSize: 3, events: 2 });
    expect(header.checkpoint).toBe(need('checkpoint'));
    expect(header.publicKey).toBe(need('public-key-pem'));
    expect(records.map((r) => JSON.stringify(r.event))).toEqual([exportLines[0], exportLines[2]]);
    expect(records.map((r) => r.proof)).toEqual([
      [l2.toString('hex'), l3.toString('hex')],
      [n12.toString('hex')],
    ]);
    expect(verifyBundle(bundle, need('public-key-pem'))).toMatchObject({ ok: true, events: 2, pinned: true });
    if (!PYTHON) return;
    writeFileSync(join(dir, 'bundle.ndjson'), bundle);
    writeFileSync(join(dir, 'key.pem'), need('public-key-pem'));
    const py = runVerifier(['--bundle', join(dir, 'bundle.ndjson'), '--public-key', join(dir, 'key.pem')]);
    expect(py.stderr).toBe('');
    expect(py.code).toBe(0);
  });
});
