import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../../db/open';
import { verifyLedger } from '../../ledger/verify';
import { ledgerChecks } from '../checks';
import { projectors } from '../projectors';

// Runs in a worker thread with its own connection: a long verify never blocks the service's requests.
const { dbPath, full } = workerData as { dbPath: string; full: boolean };
const db = openDb(dbPath, { migrate: false });
try {
  parentPort?.postMessage({ ok: true, result: verifyLedger(db, { projectors, full, checks: ledgerChecks }) });
} catch (err) {
  parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
} finally {
  db.sqlite.close();
}
