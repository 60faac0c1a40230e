import { pino } from 'pino';
import { createApp } from './app';
import { loadConfig } from './config';
import { signerFor } from './context';
import { openDb } from './db/open';
import { answerClientErrors } from './http/problem';
import { bootstrapAdmin } from './modules/users/users.service';

/**
 * Log lines go to stdout through pino's asynchronous destination: a request's line is queued and
 * written by the next asynchronous write, so under load many lines leave in one write(2) and none is
 * written on the request's path (an idle service still writes each line at once). Whatever is buffered
 * is written out when the process exits (pino flushes it synchronously on 'exit').
 */
function logDestination() {
  return pino.destination({ dest: 1, sync: false });
}

// A log reader that went away (a closed pipe) must not take the service down, nor block its stop.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

/** A start-up refusal: one clear line on stderr and exit 1, never a stack trace. */
function refuse(message: string): never {
  process.stderr.write(`custody: cannot start: ${message}\n`);
  process.exit(1);
}

function boot() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel }, logDestination());
  const db = openDb(config.dbPath);
  let signer: ReturnType<typeof signerFor>;
  try {
    signer = signerFor(db, config.keyPath);
  } catch (err) {
    db.sqlite.close();
    throw err;
  }
  const app = createApp({ db, signer, logger });
  return { config, logger, db, app };
}

let booted: ReturnType<typeof boot>;
try {
  booted = boot();
} catch (err) {
  refuse(err instanceof Error ? err.message : String(err));
}
const { config, logger, db, app } = booted;
const { ledger } = app.locals.ctx;

/** On a first start (no users yet): an admin and its token, printed once. Only once we listen. */
function bootstrap() {
  const admin = ledger.writeNow((tx) => bootstrapAdmin(tx));
  if (!admin) return;
  process.stdout.write(
    `\nFirst start: created the user "${admin.username}" (role admin). Its API token, shown this once:\n\n` +
      `  ${admin.token}\n\nKeep it safe; issue others with it (POST /api/v1/users, /users/:id/tokens).\n\n`,
  );
}

// Express 5 calls this back with the error when listening fails (port taken, address not local).
const server = app.listen(config.port, config.host, (err?: Error) => {
  if (err) refuse(`${config.host}:${config.port}: ${err.message}`);
  bootstrap();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { db: config.dbPath, seq: ledger.headSeq },
    `Custody Ledger listening on http://${config.host}:${port}`,
  );
  process.stdout.write(`Custody Ledger: http://${config.host}:${port}/api/v1/health (docs at /docs)\n`);
});
answerClientErrors(server);
// While stopping, each answer on a kept-alive connection closes it, so clients stop reusing it.
server.on('request', (_req, res) => {
  if (stopping) res.setHeader('Connection', 'close');
});

let stopping = false;
/** Connections still busy this long after a stop signal are cut, so a stop always completes. */
const GRACE_MS = 10_000;

/**
 * SIGTERM/SIGINT: stop accepting, let requests in flight finish (their queued writes commit), sign
 * a last checkpoint at the head, close the database (SQLite folds the WAL back in), flush the log,
 * exit 0. A second signal while stopping changes nothing (a terminal's Ctrl-C reaches both npm and
 * us); connections still open after the grace period are closed and the stop goes on.
 */
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const grace = setTimeout(() => {
    logger.warn({ graceMs: GRACE_MS }, 'closing connections still open');
    server.closeAllConnections();
  }, GRACE_MS);
  await closed;
  clearTimeout(grace);
  await ledger.close();
  const last = ledger.checkpoint();
  db.sqlite.close();
  logger.info(
    { seq: last.treeSize, headHash: last.headHash },
    'stopped: queue flushed, last checkpoint signed, database closed',
  );
  process.exit(0); // pino writes out what is still buffered on 'exit' (a no-op if stdout is gone)
}
function onSignal(signal: NodeJS.Signals) {
  stop(signal).catch((err: unknown) => {
    logger.fatal({ err }, 'stop failed');
    process.exit(1);
  });
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
