/**
 * A bench server, run as a child process so the load generator does not share its event loop.
 * `tsx scripts/bench/http-server.ts <mode> <dir>` listens on a loopback port and prints one JSON
 * line: { port, token? }. Modes:
 *   echo       bare Express 5: express.json(), 201 + the body (GET /echo/:id answers { id })
 *   tx         the echo plus one durable INSERT + COMMIT per request (bare better-sqlite3)
 *   group      the echo plus group commit: requests queued, one setImmediate flush, one transaction
 *   app        the real app (createApp) on a real SQLite file, with a clerk token
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { createApp } from '../../src/app';
import { openDb } from '../../src/db/open';
import { generateSigner } from '../../src/ledger/signer';
import * as users from '../../src/modules/users/users.service';

export const SERVER_MODES = ['echo', 'tx', 'group', 'app'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

function bareDb(dir: string) {
  const sqlite = new Database(join(dir, 'bare.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { sqlite, insert: sqlite.prepare('INSERT INTO rows (body) VALUES (?)') };
}

function echoApp(mode: Exclude<ServerMode, 'app'>, dir: string) {
  const app = express();
  app.use(express.json());
  if (mode === 'echo') {
    app.post('/echo', (req, res) => {
      res.status(201).json(req.body);
    });
    app.get('/echo/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    return app;
  }
  const { sqlite, insert } = bareDb(dir);
  if (mode === 'tx') {
    // better-sqlite3 autocommits a lone statement: one durable transaction per request.
    app.post('/echo', (req, res) => {
      insert.run(JSON.stringify(req.body));
      res.status(201).json(req.body);
    });
    return app;
  }
  let queue: { body: unknown; done: () => void }[] = [];
  const writeAll = sqlite.transaction((batch: typeof queue) => {
    for (const r of batch) insert.run(JSON.stringify(r.body));
  });
  const flush = () => {
    const batch = queue;
    queue = [];
    writeAll(batch);
    for (const r of batch) r.done();
  };
  app.post('/echo', (req, res) => {
    if (queue.length === 0) setImmediate(flush);
    queue.push({ body: req.body, done: () => res.status(201).json(req.body) });
  });
  return app;
}

function realApp(dir: string) {
  const db = openDb(join(dir, 'custody.db'));
  const app = createApp({ db, signer: generateSigner(), checkpointIntervalMs: 0 });
  const token = app.locals.ctx.ledger.writeNow((tx) => {
    const clerk = users.createUser(
      tx,
      { username: 'bench', displayName: 'Bench clerk', role: 'clerk' },
      'system',
    );
    return users.issueToken(tx, clerk.id, 'system').token;
  });
  return { app, token };
}

function main() {
  const [mode, dir] = process.argv.slice(2) as [ServerMode | undefined, string | undefined];
  if (!mode || !SERVER_MODES.includes(mode) || !dir) {
    console.error(`usage: http-server.ts <${SERVER_MODES.join('|')}> <dir>`);
    process.exit(2);
  }
  const { app, token } = mode === 'app' ? realApp(dir) : { app: echoApp(mode, dir), token: undefined };
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ port, token })}\n`);
  });
  server.keepAliveTimeout = 60_000;
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main();
