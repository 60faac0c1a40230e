/**
 * Runs one verification in a process of its own, so its peak RSS is its own:
 * `tsx scripts/bench/verify-child.ts <db> <fast|full|bare>` prints { ok, events, ms, peakRssMb }.
 */
import { openDb } from '../../src/db/open';
import { hashedTextOf, iterateEventRows } from '../../src/ledger/events-read';
import { sha256Hex, ZERO_HASH } from '../../src/ledger/hash';
import { verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';

const [dbPath, mode] = process.argv.slice(2);
if (!dbPath || !['fast', 'full', 'bare'].includes(mode ?? '')) {
  console.error('usage: verify-child.ts <db> <fast|full|bare>');
  process.exit(2);
}
const db = openDb(dbPath, { migrate: false });
const started = performance.now();
let ok: boolean;
let events: number;
if (mode === 'bare') {
  // The floor: SHA-256 over the stored canonical text and the link to the previous hash, nothing else.
  let prev = ZERO_HASH;
  ok = true;
  events = 0;
  for (const row of iterateEventRows(db)) {
    if (row.prev_hash !== prev || sha256Hex(hashedTextOf(row)) !== row.hash) ok = false;
    prev = row.hash;
    events += 1;
  }
} else {
  const result = verifyLedger(db, { projectors, full: mode === 'full' });
  ok = result.ok;
  events = result.events;
}
const ms = performance.now() - started;
db.sqlite.close();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ok, events, ms, peakRssMb })}\n`);
