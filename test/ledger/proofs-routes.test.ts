import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import {
  checkTlogProof,
  leafHash,
  parseTlogProof,
  verifyConsistency,
  verifyInclusion,
} from '../../src/ledger/proofs';
import { generateSigner } from '../../src/ledger/signer';
import { PYTHON, runVerifier } from '../cli/python';
import { auth, makeTestApp, tempDir } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();
const dir = tempDir();
const { ledger } = t.app.locals.ctx;
const token = t.tokens.prosecutor;
const hex = (s: string) => Buffer.from(s, 'hex');

/** Appends `n` plain events (the tiles need hundreds). */
function appendEvents(n: number) {
  ledger.writeNow((tx) => {
    for (let i = 0; i < n; i++) {
      tx.append({ type: 'note_added', entityType: 'test', entityId: `n${i}`, actor: 'system', data: { i } });
    }
  });
}

appendEvents(300);
const early = ledger.checkpoint(); // a signed size in the past
appendEvents(400);

const get = (path: string) => t.http.get(`/api/v1${path}`).set(auth(token));

describe('GET /ledger/proofs/inclusion', () => {
  it('proves an event in the head’s tree, with a signed note a client checks end to end', async () => {
    const res = await get('/ledger/proofs/inclusion?seq=123');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ seq: 123, index: 122, treeSize: t.head() });
    const opened = openCheckpoint(res.body.checkpoint.note, t.signer.publicKey, t.signer.publicKeyRaw);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.checkpoint.treeSize).toBe(res.body.treeSize);
    const stored = t.app.locals.ctx.db.sqlite
      .prepare('SELECT hash FROM events WHERE seq = 123')
      .pluck()
      .get();
    expect(res.body.eventHash).toBe(stored);
    const ok = verifyInclusion(
      leafHash(res.body.eventHash),
      122,
      opened.checkpoint.treeSize,
      res.body.proof.map(hex),
      hex(opened.checkpoint.rootHash),
    );
    expect(ok).toBe(true);
    // The tlog-proof carries the event itself and checks offline with the public key alone.
    const checked = checkTlogProof(res.body.tlogProof, t.signer.publicKeyRaw);
    expect(checked).toMatchObject({ ok: true, index: 122, event: { seq: 123, hash: stored } });
  });

  it('proves against an older signed checkpoint', async () => {
    const res = await get(`/ledger/proofs/inclusion?seq=7&treeSize=${early.treeSize}`);
    expect(res.status).toBe(200);
    expect(res.body.checkpoint.note).toBe(early.note);
    expect(res.body.rootHash).toBe(early.rootHash);
    expect(
      verifyInclusion(
        leafHash(res.body.eventHash),
        6,
        early.treeSize,
        res.body.proof.map(hex),
        hex(early.rootHash),
      ),
    ).toBe(true);
  });

  it('a forged tlog-proof fails: altered path, another index, another event, another key', async () => {
    const res = await get('/ledger/proofs/inclusion?seq=200');
    const text: string = res.body.tlogProof;
    const p = parseTlogProof(text);
    const line = p.proof[2]!.toString('base64');
    const altered = Buffer.from(p.proof[2]!);
    altered[0]! ^= 0x80;
    expect(checkTlogProof(text.replace(line, altered.toString('base64')), t.signer.publicKeyRaw).ok).toBe(
      false,
    );
    expect(checkTlogProof(text.replace('index 199', 'index 198'), t.signer.publicKeyRaw).ok).toBe(false);
    const event = JSON.parse(p.extra!.toString());
    const changed = Buffer.from(JSON.stringify({ ...event, data: { i: 999 } })).toString('base64');
    expect(checkTlogProof(text.replace(p.extra!.toString('base64'), changed), t.signer.publicKeyRaw).ok).toBe(
      false,
    );
    const other = makeTestApp();
    expect(checkTlogProof(text, other.signer.publicKeyRaw)).toMatchObject({ ok: false });
  });

  it.skipIf(!PYTHON)('the Python verifier accepts the tlog-proof and refuses its forgeries', async () => {
    const pem = join(dir, 'key.pem');
    writeFileSync(pem, t.signer.publicKeyPem);
    const res = await get('/ledger/proofs/inclusion?seq=42');
    const text: string = res.body.tlogProof;
    const file = join(dir, 'seq42.tlog-proof');
    writeFileSync(file, text);
    const ok = runVerifier(['--tlog-proof', file, '--public-key', pem]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('OK: event seq 42');
    const p = parseTlogProof(text);
    const bit = Buffer.from(p.proof[0]!);
    bit[5]! ^= 1;
    for (const forged of [
      text.replace('index 41', 'index 40'),
      text.replace(p.proof[0]!.toString('base64'), bit.toString('base64')),
      text.replace(/\ntime [^\n]+/, '\ntime 2020-01-01T00:00:00.000Z'),
    ]) {
      writeFileSync(file, forged);
      const bad = runVerifier(['--tlog-proof', file, '--public-key', pem]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^BAD: /);
    }
    const other = join(dir, 'other.pem');
    writeFileSync(other, generateSigner().publicKeyPem);
    writeFileSync(file, text);
    expect(runVerifier(['--tlog-proof', file, '--public-key', other]).code).toBe(1);
  });

  it('refuses a tree size beyond the ledger, a seq beyond the tree, an unsigned size, and zero', async () => {
    const head = t.head();
    const beyond = await get(`/ledger/proofs/inclusion?seq=1&treeSize=${head + 1}`);
    expectProblem(beyond, 400, 'tree_size_beyond_ledger');
    expect(beyond.body).toMatchObject({ treeSize: head + 1, head });
    expectProblem(
      await get(`/ledger/proofs/inclusion?seq=${early.treeSize + 1}&treeSize=${early.treeSize}`),
      400,
      'seq_beyond_tree_size',
    );
    expectProblem(await get(`/ledger/proofs/inclusion?seq=${head + 5}`), 400, 'seq_beyond_tree_size');
    const unsigned = await get(`/ledger/proofs/inclusion?seq=1&treeSize=${early.treeSize - 1}`);
    expectProblem(unsigned, 404, 'checkpoint_not_found');
    expect(unsigned.body).toMatchObject({ treeSize: early.treeSize - 1, next: early.treeSize });
    expectProblem(await get('/ledger/proofs/inclusion?seq=0'), 400, 'validation_failed');
    expectProblem(await get('/ledger/proofs/inclusion?seq=1&treeSize=0'), 400, 'validation_failed');
    expectProblem(await get('/ledger/proofs/inclusion?seq=abc'), 400, 'validation_failed');
    expectProblem(await get('/ledger/proofs/inclusion'), 400, 'validation_failed');
    expect(t.head()).toBe(head);
  });

  it('needs a token', async () => {
    expectProblem(await t.http.get('/api/v1/ledger/proofs/inclusion?seq=1'), 401, 'unauthenticated');
  });
});

describe('GET /ledger/proofs/consistency', () => {
  it('proves the head’s tree extends an older signed checkpoint', async () => {
    const res = await get(`/ledger/proofs/consistency?from=${early.treeSize}`);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(early.treeSize);
    expect(res.body.fromCheckpoint.note).toBe(early.note);
    const to = openCheckpoint(res.body.toCheckpoint.note, t.signer.publicKey, t.signer.publicKeyRaw);
    expect(to.ok).toBe(true);
    if (!to.ok) return;
    expect(to.checkpoint.treeSize).toBe(res.body.to);
    const proof = res.body.proof.map(hex);
    expect(
      verifyConsistency(early.treeSize, res.body.to, proof, hex(early.rootHash), hex(to.checkpoint.rootHash)),
    ).toBe(true);
    expect(
      verifyConsistency(
        early.treeSize,
        res.body.to,
        proof.slice(1),
        hex(early.rootHash),
        hex(to.checkpoint.rootHash),
      ),
    ).toBe(false);
  });

  it('answers an empty proof from a size to itself', async () => {
    const res = await get(`/ledger/proofs/consistency?from=${early.treeSize}&to=${early.treeSize}`);
    expect(res.status).toBe(200);
    expect(res.body.proof).toEqual([]);
  });

  it('refuses from > to, zero, unsigned sizes and sizes beyond the ledger', async () => {
    const head = t.head();
    expectProblem(
      await get(`/ledger/proofs/consistency?from=${head}&to=${early.treeSize}`),
      400,
      'invalid_tree_sizes',
    );
    expectProblem(await get('/ledger/proofs/consistency?from=0'), 400, 'validation_failed');
    expectProblem(
      await get(`/ledger/proofs/consistency?from=${early.treeSize - 1}`),
      404,
      'checkpoint_not_found',
    );
    expectProblem(
      await get(`/ledger/proofs/consistency?from=1&to=${head + 1}`),
      400,
      'tree_size_beyond_ledger',
    );
    expect(t.head()).toBe(head);
  });
});

describe('the proofs’ query parameters', () => {
  const bad = ['', '-1', '0', '1.5', 'abc', '1e3', '0x10', ' 5', '12345678901234567890'];
  const paths: [string, string, string][] = [
    ['/ledger/proofs/inclusion', 'seq', ''],
    ['/ledger/proofs/inclusion', 'treeSize', 'seq=1&'],
    ['/ledger/proofs/consistency', 'from', ''],
    ['/ledger/proofs/consistency', 'to', `from=${early.treeSize}&`],
  ];

  it.each(paths)(
    '%s ?%s= that is not a whole number from 1 names the parameter and what it expects',
    async (path, name, rest) => {
      const head = t.head();
      for (const value of bad) {
        const res = await get(`${path}?${rest}${name}=${encodeURIComponent(value)}`);
        expectProblem(res, 400, 'validation_failed');
        const what = `${name}=${JSON.stringify(value)}`;
        expect(res.body.detail, what).toMatch(new RegExp(`^query ${name}: `));
        expect(res.body.detail, what).toContain('a whole number from 1 in digits');
        expect(res.body.detail, what).not.toMatch(/NaN|expected number/);
        expect(res.body.errors[0], what).toMatchObject({ in: 'query', path: name });
      }
      expect(t.head()).toBe(head);
    },
  );

  it('a missing seq or from says it is required, not "received NaN"', async () => {
    for (const [path, name] of [
      ['/ledger/proofs/inclusion', 'seq'],
      ['/ledger/proofs/consistency', 'from'],
    ] as const) {
      const res = await get(path);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.detail).toBe(`query ${name}: is required: a whole number from 1 in digits, e.g. 42`);
    }
    const empty = await get('/ledger/proofs/inclusion?seq=');
    expect(empty.body.detail).toBe('query seq: is empty: give a whole number from 1 in digits, e.g. 42');
    const signed = await get('/ledger/proofs/inclusion?seq=1.5');
    expect(signed.body.detail).toBe('query seq: "1.5" is not a whole number from 1 in digits, e.g. 42');
  });

  it('a value beyond the head names the head', async () => {
    const head = t.head();
    const seq = await get(`/ledger/proofs/inclusion?seq=${head + 1}`);
    expectProblem(seq, 400, 'seq_beyond_tree_size');
    expect(seq.body.detail).toBe(
      `seq ${head + 1} is not in the tree of ${head} events (the head); ask for a seq from 1 to ${head}`,
    );
    for (const path of [
      `/ledger/proofs/inclusion?seq=1&treeSize=${head + 1}`,
      `/ledger/proofs/consistency?from=${head + 1}`,
      `/ledger/proofs/consistency?from=1&to=${head + 1}`,
    ]) {
      const res = await get(path);
      expectProblem(res, 400, 'tree_size_beyond_ledger');
      expect(res.body, path).toMatchObject({ treeSize: head + 1, head });
    }
    expect(t.head()).toBe(head);
  });

  it('the evidence bundle’s treeSize is checked the same way', async () => {
    const res = await get('/cases/nope/evidence-bundle?treeSize=abc');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.detail).toBe('query treeSize: "abc" is not a whole number from 1 in digits, e.g. 42');
  });

  it('the OpenAPI document gives them as integers from 1, seq and from required', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json')).body;
    const params = doc.paths['/api/v1/ledger/proofs/inclusion'].get.parameters as {
      name: string;
      required?: boolean;
      schema: { type: string; minimum: number };
    }[];
    expect(params.map((p) => [p.name, p.required ?? false, p.schema.type, p.schema.minimum])).toEqual([
      ['seq', true, 'integer', 1],
      ['treeSize', false, 'integer', 1],
    ]);
  });
});
