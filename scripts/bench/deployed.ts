import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The arguments `npm start` gives node once it has built: whatever follows `exec node` in
 * package.json's start script (`dist/server.js`, and any node flags put there). The bench and the
 * tests start the service with exactly these, so they run what a deployment runs.
 */
export function deployedArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const exec = /&&\s*exec node (.+)$/.exec(scripts.start ?? '');
  if (!exec)
    throw new Error(`package.json's start script does not end in "&& exec node …": ${scripts.start}`);
  return exec[1]!.trim().split(/\s+/);
}

let built = false;

/**
 * The service as `npm start` runs it: `npm run build` (once per process: the bench builds once per
 * run), then node with `deployedArgs()`, run in the project's root.
 */
export function deployedService(): { command: string; args: string[]; cwd: string } {
  if (!built) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error(`the build (scripts/build.mjs) failed with ${r.status ?? r.signal}`);
    built = true;
  }
  return { command: process.execPath, args: deployedArgs(), cwd: ROOT };
}
