import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SEED_HEX } from '../../scripts/ledger-example';
import { rowsOf } from '../../scripts/report-example';
import { canonicalJson } from '../../src/ledger/canonical';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import { noteKeyId, rawPublicKey } from '../../src/ledger/signer';
import type { ItemReportPayload } from '../../src/modules/reports/item.payload';
import { checkEventProof } from '../../src/modules/reports/proofs';
import { exampleBlocks } from './example-blocks';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const blocks = exampleBlocks(readFileSync(join(ROOT, 'docs', 'ledger-format.md'), 'utf8'));
const block = (name: string) => {
  const b = blocks.get(name);
  if (b === undefined) throw new Error(`docs/ledger-format.md has no example:${name}`);
  return b;
};

const key = createPublicKey(
  createPrivateKey({
    key: Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      Buffer.from(EXAMPLE_SEED_HEX, 'hex'),
    ]),
    format: 'der',
    type: 'pkcs8',
  }),
);
const raw = rawPublicKey(key);

describe('docs/ledger-format.md, Reports: the worked example', () => {
  const payloadText = block('report-payload').replace(/\n$/, '');
  const payload = JSON.parse(payloadText) as ItemReportPayload;

  it('has a canonical payload whose SHA-256 is the fingerprint shown', () => {
    expect(canonicalJson(payload)).toBe(payloadText);
    expect(createHash('sha256').update(payloadText).digest('hex')).toBe(block('report-fingerprint').trim());
  });

  it('names a checkpoint signed by the example key, and that key', () => {
    const opened = openCheckpoint(block('report-checkpoint'), key, raw);
    if (!opened.ok) throw new Error(opened.reason);
    const { treeSize, rootHash, headHash, signedAt, origin } = opened.checkpoint;
    expect(payload.checkpoint).toEqual({ treeSize, rootHash, headHash, signedAt });
    expect(payload.ledger).toEqual({ origin, keyId: noteKeyId(origin, raw).toString('hex') });
  });

  it('has events that hash to their hashes, and a proof that leads to the signed root', () => {
    for (const e of payload.section.events) {
      const { hash: _hash, ...rest } = e.event!;
      expect(createHash('sha256').update(canonicalJson(rest)).digest('hex')).toBe(e.hash);
    }
    const opened = openCheckpoint(block('report-checkpoint'), key, raw);
    if (!opened.ok) throw new Error(opened.reason);
    const last = payload.section.events.at(-1)!;
    expect(checkEventProof(block('report-proof'), last, opened.checkpoint)).toEqual({ ok: true });
    const forged = block('report-proof').replace(/^index \d+$/m, 'index 0');
    expect(checkEventProof(forged, last, opened.checkpoint).ok).toBe(false);
  });

  it('prints the rows the rule derives from the payload', () => {
    expect(rowsOf(payload)).toBe(block('report-rows'));
  });
});
