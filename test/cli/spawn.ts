import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './python';

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a real `custody` or server process on the given database and key files. */
export function custodyEnv(dbPath: string, keyPath: string, extra: Record<string, string> = {}) {
  return { ...process.env, CUSTODY_DB: dbPath, CUSTODY_KEY: keyPath, LOG_LEVEL: 'silent', ...extra };
}

/** Runs the real CLI (`node --import tsx src/cli.ts …`) to completion. */
export function custody(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Exit> {
  return runNode(['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], env);
}

/** Runs `node …args` in the project's root to completion, collecting its output. */
export function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last non-empty line of a command's standard output. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}
