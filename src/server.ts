import { pino } from 'pino';
import { createApp } from './app';
import { loadConfig } from './config';
import { openDb } from './db/open';
import { loadOrCreateSigner } from './ledger/signer';
import { bootstrapAdmin } from './modules/users/users.service';

const config = loadConfig();
const logger = pino({ level: config.logLevel });
const db = openDb(config.dbPath);
const app = createApp({ db, signer: loadOrCreateSigner(config.keyPath), logger });
const { ledger } = app.locals.ctx;

const admin = ledger.writeNow((tx) => bootstrapAdmin(tx));
if (admin) {
  process.stdout.write(
    `\nFirst start: created the user "${admin.username}" (role admin). Its API token, shown this once:\n\n` +
      `  ${admin.token}\n\nKeep it safe; issue others with it (POST /api/v1/users, /users/:id/tokens).\n\n`,
  );
}

const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { db: config.dbPath, seq: ledger.headSeq },
    `Custody Ledger listening on http://${config.host}:${port}`,
  );
  process.stdout.write(`Custody Ledger: http://${config.host}:${port}/api/v1/health (docs at /docs)\n`);
});

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
