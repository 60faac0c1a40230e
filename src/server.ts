import { pino } from 'pino';
import { createApp } from './app';
import { loadConfig } from './config';
import { signerFor } from './context';
import { openDb } from './db/open';
import { answerClientErrors } from './http/problem';
import { bootstrapAdmin } from './modules/users/users.service';

/** A start-up refusal: one clear line on stderr and exit 1, never a stack trace. */
function refuse(message: string): never {
  process.stderr.write(`custody: cannot start: ${message}\n`);
  process.exit(1);
}

function boot() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
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

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  server.close(async () => {
    await ledger.close();
    ledger.checkpoint();
    db.sqlite.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
