import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder: the nearest folder above this module whose package.json is ours. The
 * same whether the code runs from src/ (tsx, tests) or bundled (dist/server.js), so files the
 * service reads at run time (migrations, the web app's styles and client code) are found by their
 * place in the project, not by where the module that reads them happens to be.
 */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'custody-ledger'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`no custody-ledger package.json above ${from}`);
  }
}

export const ROOT = projectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `fromRoot('drizzle')`. */
export function fromRoot(...parts: string[]): string {
  return join(ROOT, ...parts);
}
