// `node scripts/build.mjs [--outdir DIR]`: bundles the service into plain JavaScript, the form it is
// deployed and started in (`npm start`, the systemd unit in docs/operations.md): DIR/server.js and
// the verify worker's DIR/verify.worker.js, each with its source map beside it. Plain JavaScript run
// by node itself (no tsx), so it works right after `npm ci`. Our own code is bundled; packages stay
// imports of node_modules, so DIR must be inside the project (default: dist/).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(ROOT, 'dist'));
const inside = relative(ROOT, outdir);
if (inside.startsWith('..') || resolve(ROOT, inside) !== outdir) {
  process.stderr.write(`build: ${outdir} is outside the project, where node would not find node_modules\n`);
  process.exit(1);
}

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { server: 'src/server.ts', 'verify.worker': 'src/modules/ledger/verify.worker.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  write: false,
  logLevel: 'warning',
});

// Each file is written beside itself and renamed into place, so a server starting from DIR while
// another build runs reads the old file or the new one, never half of one.
mkdirSync(outdir, { recursive: true });
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const part = `${file.path}.${process.pid}.part`;
  writeFileSync(part, file.contents);
  renameSync(part, file.path);
}
