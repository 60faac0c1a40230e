import { spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { signerFor } from '../../src/context';
import { openDb } from '../../src/db/open';
import { ROOT } from '../cli/python';
import { custodyEnv, type Exit } from '../cli/spawn';
import { tempDir } from '../helpers/app';

function custodyWithStdin(env: NodeJS.ProcessEnv, input: string, ...args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
      cwd: ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('custody user add --password-stdin, custody user password', () => {
  const dir = tempDir();
  const env = custodyEnv(join(dir, 'c.db'), join(dir, 'c.key'));

  it('creates a user who can sign in on the web, and resets the password later', async () => {
    const added = await custodyWithStdin(
      env,
      'first long password\n',
      'user',
      'add',
      'aigerim',
      '--role',
      'clerk',
      '--password-stdin',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trim().split('\n').at(-1)).toMatch(/^cdy_/);
    const short = await custodyWithStdin(env, 'short\n', 'user', 'password', 'aigerim');
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('password_too_weak');
    const reset = await custodyWithStdin(
      env,
      'second long password\n',
      'user',
      'password',
      'aigerim',
      '--password-stdin',
    );
    expect(reset.code, reset.stderr).toBe(0);

    const db = openDb(join(dir, 'c.db'));
    const app = createApp({ db, signer: signerFor(db, join(dir, 'c.key')), checkpointIntervalMs: 0 });
    try {
      const types = (
        db.sqlite.prepare("SELECT data FROM events WHERE type = 'user_password_set' ORDER BY seq").all() as {
          data: string;
        }[]
      ).map((r) => JSON.parse(r.data).reason);
      expect(types).toEqual(['initial', 'reset']);
      const agent = request.agent(app);
      const page = await agent.get('/signin?lang=en');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await agent
        .post('/signin')
        .type('form')
        .send({ _csrf: csrf, username: 'aigerim', password: 'second long password' });
      expect(res.status).toBe(303);
    } finally {
      await app.locals.ctx.ledger.close();
      db.sqlite.close();
    }
  });
});
