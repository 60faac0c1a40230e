import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import { CompactRange } from '../../src/ledger/merkle';
import { rawPublicKey } from '../../src/ledger/signer';
import { auth, makeTestApp, type TestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();
/** A second app, for tampering that would spoil `t`. */
const u = makeTestApp();

/** Buffers any body as text (supertest leaves NDJSON and PEM bodies unparsed otherwise). */
const asText = (res: unknown, done: (err: Error | null, body: string) => void) => {
  const stream = res as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    body += chunk;
  });
  stream.on('end', () => done(null, body));
};

const getText = (t: TestApp, path: string, token?: string) => {
  const req = t.http.get(path).buffer(true).parse(asText);
  return token ? req.set(auth(token)) : req;
};

interface ExportedEvent {
  seq: number;
  type: string;
  prevHash: string;
  hash: string;
  data: Record<string, unknown>;
  [member: string]: unknown;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Checks an export line by line as docs/ledger-format.md says, without the project's code. */
function checkExport(body: string) {
  expect(body.endsWith('\n')).toBe(true);
  const events = body
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as ExportedEvent);
  let prev = '0'.repeat(64);
  const range = new CompactRange();
  events.forEach((e, i) => {
    const { hash, ...rest } = e;
    expect(e.seq).toBe(i + 1);
    expect(e.prevHash).toBe(prev);
    expect(sha256(canonicalize(rest)!)).toBe(hash);
    range.appendEventHash(hash);
    prev = hash;
  });
  return { events, head: prev, root: range.root().toString('hex') };
}

describe('GET /health', () => {
  it('answers without a token with the status and the ledger head', async () => {
    const res = await t.http.get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      ledger: { seq: t.head(), ledgerId: t.app.locals.ctx.ledger.ledgerId },
    });
    expect(res.body.ledger.headHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('GET /ledger/public-key', () => {
  it('answers the Ed25519 key as PEM without a token, the key the genesis event names', async () => {
    const res = await getText(t, '/api/v1/ledger/public-key');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-pem-file/);
    expect(res.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const key = createPublicKey(res.body as string);
    expect(key.asymmetricKeyType).toBe('ed25519');
    const genesis = t.app.locals.ctx.db.sqlite.prepare('SELECT data FROM events WHERE seq = 1').get() as {
      data: string;
    };
    expect(JSON.parse(genesis.data).checkpointKey.publicKey).toBe(rawPublicKey(key).toString('base64'));
  });
});

describe('GET /ledger/export', () => {
  it('streams NDJSON whose every line verifies, up to the checkpoint named in X-Ledger-* headers', async () => {
    await makeCase(t, { title: 'Ферма «Қуат», 120.5 TH/s' });
    await makeCase(t);
    const res = await getText(t, '/api/v1/ledger/export', t.tokens.prosecutor);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const { events, head, root } = checkExport(res.body as string);
    expect(events.length).toBe(t.head());
    expect(events[0]!.type).toBe('ledger_created');
    expect(res.headers['x-ledger-tree-size']).toBe(String(events.length));
    expect(res.headers['x-ledger-head-hash']).toBe(head);
    expect(res.headers['x-ledger-root-hash']).toBe(root);
    expect(res.headers['content-disposition']).toContain(`-${events.length}.ndjson`);

    // The headers name a signed checkpoint that the checkpoint list holds.
    const list = await t.http.get('/api/v1/ledger/checkpoints').set(auth(t.tokens.auditor));
    const named = (list.body.items as { treeSize: number; rootHash: string; headHash: string }[]).find(
      (c) => c.treeSize === events.length,
    );
    expect(named).toMatchObject({ rootHash: root, headHash: head });
  });

  it('needs a token', async () => {
    expectProblem(await t.http.get('/api/v1/ledger/export'), 401, 'unauthenticated');
  });
});

describe('GET /ledger/checkpoints', () => {
  it('lists signed notes, newest first from the current head, each verifying with the public key', async () => {
    await makeCase(t);
    const pem = (await getText(t, '/api/v1/ledger/public-key')).body as string;
    const key = createPublicKey(pem);
    const raw = rawPublicKey(key);
    const res = await t.http.get('/api/v1/ledger/checkpoints').set(auth(t.tokens.clerk));
    expect(res.status).toBe(200);
    const items = res.body.items as { origin: string; treeSize: number; rootHash: string; note: string }[];
    expect(items[0]!.treeSize).toBe(t.head());
    expect(items[0]!.rootHash).toBe(t.app.locals.ctx.ledger.rootHash);
    expect(items.map((c) => c.treeSize)).toEqual([...items.map((c) => c.treeSize)].sort((a, b) => b - a));
    for (const c of items) {
      const opened = openCheckpoint(c.note, key, raw);
      expect(opened.ok).toBe(true);
      if (opened.ok) expect(opened.checkpoint).toMatchObject({ origin: c.origin, treeSize: c.treeSize });
      // And by hand, per docs/ledger-format.md §7: Ed25519 over the body, after the 4-byte key id.
      const at = c.note.indexOf('\n\n');
      const blob = Buffer.from(c.note.slice(c.note.lastIndexOf(' ') + 1).trimEnd(), 'base64');
      expect(verify(null, Buffer.from(c.note.slice(0, at + 1), 'utf8'), key, blob.subarray(4))).toBe(true);
    }
  });

  it('pages with a cursor', async () => {
    const first = await t.http.get('/api/v1/ledger/checkpoints?limit=1').set(auth(t.tokens.admin));
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await t.http
      .get(`/api/v1/ledger/checkpoints?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`)
      .set(auth(t.tokens.admin));
    expect(next.status).toBe(200);
    expect(next.body.items[0].treeSize).toBeLessThan(first.body.items[0].treeSize);
  });
});

describe('GET /ledger/verify', () => {
  it('answers ok for an intact ledger', async () => {
    const res = await t.http.get('/api/v1/ledger/verify').set(auth(t.tokens.auditor));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      events: t.head(),
      firstBad: null,
      damage: [],
      projectionsChecked: true,
    });
    expect(res.body.checkpointsChecked).toBeGreaterThan(0);
    const full = await t.http.get('/api/v1/ledger/verify?full=true').set(auth(t.tokens.auditor));
    expect(full.body.ok).toBe(true);
  });

  it('answers ok: false naming the first bad seq after an event was tampered with', async () => {
    const c = await makeCase(u, { title: 'Original title' });
    await makeCase(u);
    const { db } = u.app.locals.ctx;
    const seq = (db.sqlite.prepare('SELECT seq FROM events WHERE entity_id = ?').get(c.id) as { seq: number })
      .seq;
    db.sqlite.exec('DROP TRIGGER events_no_update');
    db.sqlite.prepare(`UPDATE events SET data = replace(data, 'Original', 'Altered') WHERE seq = ?`).run(seq);
    const res: Response = await u.http.get('/api/v1/ledger/verify').set(auth(u.tokens.prosecutor));
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.firstBad).toMatchObject({ kind: 'hash_mismatch', seq });
  });

  it('needs the ledger permission (a token)', async () => {
    expectProblem(await t.http.get('/api/v1/ledger/verify'), 401, 'unauthenticated');
  });
});
