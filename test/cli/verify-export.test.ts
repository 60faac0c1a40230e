import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical';
import { sha256Hex } from '../../src/ledger/hash';
import { generateSigner } from '../../src/ledger/signer';
import * as cases from '../../src/modules/cases/cases.service';
import { streamExport } from '../../src/modules/ledger/ledger.routes';
import * as users from '../../src/modules/users/users.service';
import { canonicalExamples, exampleBlocks } from '../docs/example-blocks';
import { makeLedger } from '../helpers/ledger';
import { PYTHON, ROOT, runVerifier } from './python';

/** A real ledger, exported the way `custody export --out` does: F, F.checkpoint, F.pub.pem. */
async function realExport() {
  const ctx = makeLedger({ checkpointEvery: 4 });
  const clerk = ctx.ledger.writeNow((tx) =>
    users.createUser(tx, { username: 'aigul', displayName: 'Айгүл Қасымова', role: 'clerk' }, 'system'),
  );
  for (let i = 0; i < 12; i++) {
    ctx.ledger.writeNow((tx) =>
      cases.openCase(
        tx,
        {
          number: `${i}/345-2026`,
          title: `Ферма №${i} — "Ekibastuz"\t\\ 😀`,
          legalBasis: 'Criminal Code art. 214',
          agency: 'AFM',
          openedOn: '2026-03-01',
          occurredAt: '2026-03-01T10:00:00.5+05:00',
        },
        clerk.id,
      ),
    );
  }
  const cp = ctx.ledger.checkpoint();
  const file = join(ctx.dir, 'ledger.ndjson');
  const out = createWriteStream(file);
  await streamExport(ctx.db, cp.treeSize, out);
  out.end();
  await finished(out);
  writeFileSync(`${file}.checkpoint`, cp.note);
  writeFileSync(`${file}.pub.pem`, ctx.signer.publicKeyPem);
  return { ...ctx, file, cp, lines: readFileSync(file, 'utf8').split('\n').slice(0, -1) };
}

describe.skipIf(!PYTHON)('scripts/verify-export.py', () => {
  let x: Awaited<ReturnType<typeof realExport>>;
  beforeAll(async () => {
    x = await realExport();
  });
  const forge = (name: string, lines: string[]) => {
    const path = join(x.dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const withKey = (file: string, checkpoint = `${x.file}.checkpoint`) => [
    file,
    '--checkpoint',
    checkpoint,
    '--public-key',
    `${x.file}.pub.pem`,
  ];

  it('accepts a real export with its checkpoint and public key', () => {
    const r = runVerifier(withKey(x.file));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`OK: ledger ${x.ledger.ledgerId}, ${x.lines.length} events`);
    expect(r.stdout).toContain(`head ${x.cp.headHash}`);
    expect(r.stdout).toContain(`root ${x.cp.rootHash}`);
    expect(r.stdout).toContain(`checkpoint verified: tree size ${x.cp.treeSize}`);
  });

  it('accepts every checkpoint in the <db>.checkpoints file (earlier ones prove the export extends them)', () => {
    const r = runVerifier([x.file, '--checkpoint', `${x.db.path}.checkpoints`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/checkpoint verified/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('names the seq when one byte of an event changed', () => {
    const lines = [...x.lines];
    lines[6] = lines[6]!.replace('Ферма №4', 'Ферма №5');
    expect(lines[6]).not.toBe(x.lines[6]);
    const r = runVerifier(withKey(forge('byte.ndjson', lines)));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FIRST BAD SEQ: 7 (hash_mismatch)');
  });

  it('names the seq when a line was deleted', () => {
    const lines = x.lines.filter((_, i) => i !== 4);
    const r = runVerifier(withKey(forge('deleted.ndjson', lines)));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FIRST BAD SEQ: 5 (seq_gap)');
  });

  it('names the seq when two lines were swapped', () => {
    const lines = [...x.lines];
    [lines[8], lines[9]] = [lines[9]!, lines[8]!];
    const r = runVerifier(withKey(forge('swapped.ndjson', lines)));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FIRST BAD SEQ: 9 (seq_gap)');
  });

  it('refuses a checkpoint whose signature is wrong', () => {
    const note = readFileSync(`${x.file}.checkpoint`, 'utf8');
    const at = note.lastIndexOf(' ') + 10;
    const bad = note.slice(0, at) + (note[at] === 'A' ? 'B' : 'A') + note.slice(at + 1);
    const path = join(x.dir, 'bad.checkpoint');
    writeFileSync(path, bad);
    const r = runVerifier(withKey(x.file, path));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`FIRST BAD SEQ: ${x.cp.treeSize} (checkpoint_invalid)`);
  });

  it('finds a chain rewritten consistently that no longer matches the signed checkpoint', () => {
    let prev = '0'.repeat(64);
    const lines = x.lines.map((line) => {
      const { hash: _old, ...e } = JSON.parse(line.replace('Ферма №3', 'Ферма №33')) as Record<
        string,
        unknown
      >;
      e.prevHash = prev;
      prev = sha256Hex(canonicalJson(e));
      return canonicalJson({ ...e, hash: prev });
    });
    const forged = forge('rewritten.ndjson', lines);
    expect(runVerifier([forged]).code).toBe(0); // consistent on its own …
    const r = runVerifier(withKey(forged)); // … but not what was signed
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`FIRST BAD SEQ: ${x.cp.treeSize} (checkpoint_mismatch)`);
  });

  it('finds an export cut short of its checkpoint', () => {
    const r = runVerifier(withKey(forge('short.ndjson', x.lines.slice(0, -2))));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`FIRST BAD SEQ: ${x.lines.length - 1} (truncated)`);
  });

  it('refuses a public key other than the one the ledger names', () => {
    const other = join(x.dir, 'other.pem');
    writeFileSync(other, generateSigner().publicKeyPem);
    const r = runVerifier([x.file, '--public-key', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FIRST BAD SEQ: 1 (wrong_key)');
  });

  it('exits 2 when it cannot run', () => {
    expect(runVerifier([join(x.dir, 'missing.ndjson')]).code).toBe(2);
  });

  it('verifies the worked example of docs/ledger-format.md', () => {
    const blocks = exampleBlocks(readFileSync(join(ROOT, 'docs', 'ledger-format.md'), 'utf8'));
    const dir = x.dir;
    writeFileSync(join(dir, 'doc.ndjson'), blocks.get('export')!);
    writeFileSync(join(dir, 'doc.checkpoint'), blocks.get('checkpoint')!);
    writeFileSync(join(dir, 'doc-early.checkpoint'), blocks.get('checkpoint-early')!);
    writeFileSync(join(dir, 'doc.pem'), blocks.get('public-key-pem')!);
    writeFileSync(join(dir, 'doc.checkpoints'), blocks.get('checkpoints-file')!);
    const r = runVerifier([
      join(dir, 'doc.ndjson'),
      '--checkpoint',
      join(dir, 'doc.checkpoint'),
      '--checkpoint',
      join(dir, 'doc-early.checkpoint'),
      '--checkpoint',
      join(dir, 'doc.checkpoints'),
      '--public-key',
      join(dir, 'doc.pem'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/checkpoint verified/g)).toHaveLength(4);
  });

  it('canonicalises the doc’s table of numbers and strings as RFC 8785 says', () => {
    const table = canonicalExamples(readFileSync(join(ROOT, 'docs', 'ledger-format.md'), 'utf8'));
    const r = runVerifier(['--canonicalize'], `${table.map(([input]) => input).join('\n')}\n`);
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(table.map(([, output]) => output));
  });

  it('canonicalises any JSON exactly as the service does (property test against `canonicalize`)', () => {
    const values = fc.sample(
      fc.oneof(
        fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -(2 ** 60), max: 2 ** 60 }).map((n) => n * 1024),
        fc.dictionary(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true })),
      ),
      { numRuns: 3000, seed: 8785 },
    );
    const inputs = values.map((v) => JSON.stringify(v));
    const expected = values.map((v) => {
      try {
        return canonicalJson(v);
      } catch {
        return 'ERROR';
      }
    });
    const r = runVerifier(['--canonicalize'], `${inputs.join('\n')}\n`);
    const got = r.stdout.split('\n').slice(0, -1);
    expect(got).toHaveLength(values.length);
    got.forEach((g, i) => {
      expect(g.startsWith('ERROR') ? 'ERROR' : g, inputs[i]).toBe(expected[i]);
    });
  });
});
