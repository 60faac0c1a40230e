import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openDb } from '../../src/db/open';
import { loadOrCreateSigner } from '../../src/ledger/signer';
import { documentPath, documentsDirFor } from '../../src/modules/documents/documents.store';
import { custody, custodyEnv, lastLine } from '../cli/spawn';
import { auth, tempDir } from '../helpers/app';
import { PNG_BYTES, pdfBytes } from './fixtures';

const dir = tempDir();
const dbPath = join(dir, 'custody.db');
const keyPath = join(dir, 'checkpoint.key');
const env = custodyEnv(dbPath, keyPath);

describe('custody backup and export with attached documents (the real command line)', () => {
  it('backup copies the documents; export lists their hashes for sha256sum -c; verify checks them', async () => {
    expect((await custody(env, 'user', 'add', 'clerk1', '--role', 'clerk')).code).toBe(0);
    const token = lastLine((await custody(env, 'token', 'issue', 'clerk1')).stdout);
    const db = openDb(dbPath);
    const app = createApp({ db, signer: loadOrCreateSigner(keyPath), checkpointIntervalMs: 0 });
    const hashes: string[] = [];
    for (const [type, bytes] of [
      ['application/pdf', pdfBytes('backup')],
      ['image/png', PNG_BYTES],
    ] as const) {
      const res = await request(app)
        .post('/api/v1/documents')
        .set(auth(token))
        .set('Content-Type', type)
        .send(bytes);
      expect(res.status).toBe(201);
      hashes.push(res.body.sha256 as string);
    }
    await app.locals.ctx.ledger.close();
    db.sqlite.close();

    const backup = join(dir, 'copy.db');
    const b = await custody(env, 'backup', backup);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain('2 document(s)');
    for (const h of hashes) expect(existsSync(documentPath(documentsDirFor(backup), h))).toBe(true);

    const out = join(dir, 'ledger.ndjson');
    expect((await custody(env, 'export', '--out', out)).code).toBe(0);
    expect(readFileSync(`${out}.documents`, 'utf8')).toBe(
      hashes.map((h) => `${h}  ${h.slice(0, 2)}/${h}\n`).join(''),
    );

    expect((await custody(custodyEnv(backup, keyPath), 'verify')).code).toBe(0);
  });
});
