import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedArgs } from '../../scripts/bench/deployed';
import { ROOT } from '../cli/python';
import { custodyEnv } from '../cli/spawn';
import { tempDir } from '../helpers/app';
import { missing, pdfText, renderPdf, zbar } from '../labels/decode';
import { buildInto, buildOutdir, type Started, startService } from './serve';

/**
 * The service as deployed: `scripts/build.mjs` bundles it into plain JavaScript (here into a fresh
 * folder, so no earlier dist/ is involved), and `node server.js` runs it without tsx, from another
 * working directory, on a real SQLite file: it migrates the database, finds the web app's files and
 * its packages' data files (fonts, barcode and PDF code), and verifies through its built worker.
 */
describe('the built service', () => {
  const outdir = buildOutdir();
  const dir = tempDir();
  let s: Started;
  const call = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${s.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const created = async <T>(token: string, path: string, body: unknown): Promise<T> => {
    const res = await call(token, 'POST', path, body);
    const text = await res.text();
    expect(res.status, `POST ${path}: ${text}`).toBe(201);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    const built = await buildInto(outdir);
    expect(built.code, built.stderr).toBe(0);
    const env = custodyEnv(join(dir, 'custody.db'), join(dir, 'checkpoint.key'), {
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    s = await startService(process.execPath, [join(outdir, 'server.js')], env, dir);
    return async () => {
      s.child.kill('SIGTERM');
      await new Promise((r) => (s.child.exitCode === null ? s.child.once('exit', r) : r(null)));
    };
  });

  it('is plain JavaScript with its source maps: the server and the verify worker, neither loading tsx', () => {
    for (const name of ['server.js', 'verify.worker.js']) {
      const js = readFileSync(join(outdir, name), 'utf8');
      expect(js).toContain(`//# sourceMappingURL=${name}.map`);
      expect(existsSync(join(outdir, `${name}.map`))).toBe(true);
      expect(js).not.toMatch(/from ["']tsx|import\(["']tsx/);
    }
    // The worker it starts is the built one beside it, not the tsx-registering verify.worker.mjs.
    expect(readFileSync(join(outdir, 'server.js'), 'utf8')).toContain('"./verify.worker.js"');
  });

  it('applied every migration to a new database file', async () => {
    const health = await fetch(`${s.base}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const journal = JSON.parse(readFileSync(join(ROOT, 'drizzle', 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    const db = new Database(join(dir, 'custody.db'), { readonly: true });
    try {
      const { n } = db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
      expect(n).toBe(journal.entries.length);
    } finally {
      db.close();
    }
  });

  it('answers authenticated requests: an item registered and read back, its label PDF, a verify', async () => {
    const clerk = await created<{ id: string }>(s.token, '/users', { username: 'clerk', role: 'clerk' });
    const { token } = await created<{ token: string }>(s.token, `/users/${clerk.id}/tokens`, {});
    const kase = await created<{ id: string }>(token, '/cases', {
      number: 'BUILD/2026',
      title: 'Built service',
      legalBasis: 'Criminal Code art. 214',
      agency: 'Financial Monitoring Agency',
      openedOn: '2026-03-01',
    });
    const seizure = await created<{ id: string }>(token, `/cases/${kase.id}/seizures`, {
      farmName: 'Ферма «Қуат»',
      region: 'Pavlodar Region',
      address: 'Ekibastuz, industrial zone 4',
      seizedAt: '2026-02-14T06:30:00+06:00',
      seizingOfficer: 'Capt. A. Nurlanov',
      warrantRef: 'Order 7-2026/114',
      legalGround: 'illegal_grid_connection',
      outcome: 'terminated',
    });
    const item = await created<{ evidenceNo: string }>(token, '/items', {
      caseId: kase.id,
      seizureId: seizure.id,
      category: 'asic_miner',
      make: 'Bitmain',
      model: 'Antminer S19 Pro',
      serialNumber: 'BUILD-1',
      sealNo: 'KZ-FMA 0000001',
    });

    const read = await call(token, 'GET', `/items/${item.evidenceNo}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { serialNumber: string }).serialNumber).toBe('BUILD-1');

    const pdf = await call(token, 'GET', `/labels/items.pdf?items=${item.evidenceNo}&format=4x2`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (!missing('pdftoppm', 'pdftotext', 'zbarimg')) {
      const file = join(dir, 'label.pdf');
      writeFileSync(file, bytes);
      expect(pdfText(file)).toContain(item.evidenceNo);
      const [png] = renderPdf(file, 203, dir, 'label');
      expect(zbar(png!).join(' ')).toContain(item.evidenceNo.replaceAll('-', ''));
    }

    const verify = await call(token, 'GET', '/ledger/verify');
    expect(verify.status).toBe(200);
    expect(((await verify.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("serves the web app's styles and its script, bundled from src/web/client", async () => {
    const css = await fetch(`http://127.0.0.1:${s.port}/assets/app.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toBe(readFileSync(join(ROOT, 'src', 'web', 'assets', 'app.css'), 'utf8'));
    const js = await fetch(`http://127.0.0.1:${s.port}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await js.text()).length).toBeGreaterThan(100);
  });

  it("is what npm start execs after its build, and what docs/operations.md's systemd unit runs", () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.start).toBe(`${scripts.build} && exec node ${deployedArgs().join(' ')}`);
    const unit = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    expect(unit).toContain(`\nExecStart=/usr/bin/node ${deployedArgs().join(' ')}\n`);
  });
});
