import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VERIFIER = join(ROOT, 'scripts', 'verify-export.py');

/** A python3 that has `cryptography` (PYTHON, then python3 on PATH, then Debian's), or null. */
export function findPython(): string | null {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import cryptography'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return null;
}

export const PYTHON = findPython();
if (!PYTHON) {
  console.warn(
    'SKIPPED: the offline verifier tests need python3 with the `cryptography` package (apt install python3-cryptography)',
  );
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/verify-export.py with `args` (and `input` on stdin). */
export function runVerifier(args: string[], input?: string): Run {
  const r = spawnSync(PYTHON ?? 'python3', [VERIFIER, ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
