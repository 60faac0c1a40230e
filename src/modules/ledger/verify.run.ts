import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/open';
import { type VerifyResult, verifyLedger } from '../../ledger/verify';
import { ledgerChecks } from '../checks';
import { projectors } from '../projectors';

/**
 * The worker's entry point. Built (`npm run build`), this module is part of dist/server.js and the
 * worker is the plain-JavaScript dist/verify.worker.js beside it; run from source (tests, the CLI
 * through tsx) it is verify.worker.mjs, which loads verify.worker.ts through tsx.
 */
const WORKER = import.meta.url.endsWith('.ts')
  ? new URL('./verify.worker.mjs', import.meta.url)
  : new URL('./verify.worker.js', import.meta.url);

const running = new WeakMap<Db, Map<boolean, Promise<VerifyResult>>>();

/**
 * Verifies the ledger off the event loop: a worker thread opens its own connection and reads one
 * snapshot. Requests that arrive while one runs share its answer. An in-memory database (tests)
 * cannot be opened twice, so it is verified in place.
 */
export function verifyOffThread(db: Db, full: boolean): Promise<VerifyResult> {
  if (db.path === ':memory:')
    return Promise.resolve(verifyLedger(db, { projectors, full, checks: ledgerChecks }));
  let byMode = running.get(db);
  if (!byMode) {
    byMode = new Map();
    running.set(db, byMode);
  }
  const inFlight = byMode.get(full);
  if (inFlight) return inFlight;
  const started = new Promise<VerifyResult>((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { dbPath: db.path, full },
    });
    worker.once('message', (m: { ok: true; result: VerifyResult } | { ok: false; error: string }) =>
      m.ok ? resolve(m.result) : reject(new Error(m.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the verify worker stopped with code ${code}`));
    });
  }).finally(() => byMode.delete(full));
  byMode.set(full, started);
  return started;
}
