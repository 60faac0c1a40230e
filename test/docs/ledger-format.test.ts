import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import { type EventRow, exportLineOf, hashedTextOf } from '../../src/ledger/events-read';
import { CompactRange, leafHash, nodeHash } from '../../src/ledger/merkle';
import { publicKeyFromRaw, rawPublicKey } from '../../src/ledger/signer';
import { canonicalExamples, exampleBlocks, independentProblems, lines } from './example-blocks';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'ledger-format.md'), 'utf8');

function rowOf(line: string): EventRow {
  const e = JSON.parse(line) as Record<string, string | number | object>;
  return {
    seq: e.seq as number,
    type: e.type as string,
    entity_type: e.entityType as string,
    entity_id: e.entityId as string,
    occurred_at: e.occurredAt as string,
    recorded_at: e.recordedAt as string,
    actor: e.actor as string,
    data: canonicalJson(e.data),
    prev_hash: e.prevHash as string,
    hash: e.hash as string,
  };
}

const blocks = exampleBlocks(DOC);

describe('docs/ledger-format.md worked example', () => {
  it('has every example block', () => {
    for (const name of [
      'canonical',
      'export',
      'hashed',
      'hashes',
      'merkle',
      'checkpoint',
      'checkpoint-early',
      'checkpoints-file',
      'public-key-pem',
      'public-key-raw',
    ]) {
      expect(blocks.has(name), name).toBe(true);
    }
  });

  it('holds up to an independent check from the page alone (hashes, links, Merkle, signatures)', () => {
    expect(independentProblems(blocks)).toEqual([]);
  });

  it('agrees with the code: hashedTextOf, exportLineOf, the Merkle range and openCheckpoint', () => {
    const exportLines = lines(blocks.get('export')!);
    const hashed = lines(blocks.get('hashed')!);
    const range = new CompactRange();
    exportLines.forEach((line, i) => {
      const row = rowOf(line);
      expect(hashedTextOf(row)).toBe(hashed[i]);
      expect(exportLineOf(row)).toBe(line);
      range.appendEventHash(row.hash);
    });
    const genesis = JSON.parse(exportLines[0]!) as { data: { checkpointKey: { publicKey: string } } };
    const raw = Buffer.from(genesis.data.checkpointKey.publicKey, 'base64');
    const pem = createPublicKey(blocks.get('public-key-pem')!);
    expect(rawPublicKey(pem).equals(raw)).toBe(true);
    const opened = openCheckpoint(blocks.get('checkpoint')!, publicKeyFromRaw(raw), raw);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.checkpoint.treeSize).toBe(exportLines.length);
    expect(opened.checkpoint.rootHash).toBe(range.root().toString('hex'));
    expect(opened.checkpoint.headHash).toBe(rowOf(exportLines.at(-1)!).hash);
    const leaves = exportLines.map((l) => leafHash(rowOf(l).hash));
    expect(nodeHash(nodeHash(leaves[0]!, leaves[1]!), leaves[2]!).equals(range.root())).toBe(true);
    expect(openCheckpoint(blocks.get('checkpoint-early')!, pem, raw).ok).toBe(true);
  });

  it('prints numbers and strings as the table of §3.2 says, in the code and in `canonicalize`', () => {
    const table = canonicalExamples(DOC);
    expect(table.length).toBeGreaterThan(10);
    for (const [input, output] of table) {
      expect(canonicalJson(JSON.parse(input)), input).toBe(output);
      expect(canonicalize(JSON.parse(input)), input).toBe(output);
    }
  });
});

describe('forgery of the worked example', () => {
  const forged = (name: string, from: string, to: string) => {
    const copy = new Map(blocks);
    const text = copy.get(name)!;
    expect(text.includes(from), `${name} contains ${from}`).toBe(true);
    copy.set(name, text.replace(from, to));
    return copy;
  };

  it('fails when one character of an event line changes', () => {
    expect(independentProblems(forged('export', 'Ekibastuz', 'Ekibastuy'))).toContain('hash of seq 3');
    expect(independentProblems(forged('export', '"role":"clerk"', '"role":"clark"')).length).toBeGreaterThan(
      0,
    );
    expect(independentProblems(forged('export', '"seq":1,', '"seq":2,'))).toContain('seq of line 1');
  });

  it('fails for every one-character change of the signed note', () => {
    const note = blocks.get('checkpoint')!;
    const raw = Buffer.from(
      (JSON.parse(lines(blocks.get('export')!)[0]!) as { data: { checkpointKey: { publicKey: string } } })
        .data.checkpointKey.publicKey,
      'base64',
    );
    const key = publicKeyFromRaw(raw);
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let tried = 0;
    for (let i = 0; i < note.length; i++) {
      const c = note[i]!;
      if (c === '\n') continue;
      // Another character, and (for base64) the one differing in the lowest bit: a change confined
      // to the padding bits of the last base64 character must be refused as well.
      const swaps = new Set([c === 'A' ? 'B' : c === '1' ? '2' : 'A']);
      if (B64.includes(c)) swaps.add(B64[B64.indexOf(c) ^ 1]!);
      for (const swap of swaps) {
        const copy = new Map(blocks);
        copy.set('checkpoint', note.slice(0, i) + swap + note.slice(i + 1));
        expect(independentProblems(copy).length, `change at ${i}`).toBeGreaterThan(0);
        expect(openCheckpoint(copy.get('checkpoint')!, key, raw).ok, `code, change at ${i}`).toBe(false);
        tried += 1;
      }
    }
    expect(tried).toBeGreaterThan(200);
  });

  it('fails when the public key is another key', () => {
    const other = forged(
      'public-key-pem',
      blocks.get('public-key-pem')!.split('\n')[1]!,
      'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=',
    );
    expect(independentProblems(other)).toContain('checkpoint: Ed25519 signature');
  });
});

describe('scripts/ledger-example.ts', () => {
  it('prints an example that passes the same checks and has the doc’s shape', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'ledger-example.ts')],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    const fresh = exampleBlocks(out);
    expect(independentProblems(fresh)).toEqual([]);
    // The doc is the same example up to the random ids: same types, members, times and key.
    const shape = (b: Map<string, string>) =>
      lines(b.get('export')!).map((l) => {
        const e = JSON.parse(l) as { type: string; data: object; occurredAt: string; recordedAt: string };
        return [e.type, Object.keys(e.data).sort(), e.occurredAt, e.recordedAt];
      });
    expect(shape(fresh)).toEqual(shape(blocks));
    expect(fresh.get('public-key-pem')).toBe(blocks.get('public-key-pem'));
  });
});
