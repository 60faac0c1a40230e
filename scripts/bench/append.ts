import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { type AppContext, createContext } from '../../src/context';
import { openDb } from '../../src/db/open';
import { generateSigner } from '../../src/ledger/signer';
import type { Metric } from './report';

const ZERO = '0'.repeat(64);

/** An item-registration-sized event body (≈ 400 bytes of canonical JSON), varied by `i`. */
export function benchEventData(i: number): Record<string, unknown> {
  return {
    evidenceNo: `EV22${String(i).padStart(7, '0')}0`,
    caseId: 'case_bench0000000000',
    seizureId: 'szr_bench0000000000',
    category: 'asic_miner',
    make: 'Bitmain',
    model: i % 3 === 0 ? 'Antminer S19 Pro' : 'Antminer S19',
    serialNumber: `SMTTB${(1_000_000 + i * 7919).toString(36).toUpperCase()}`,
    quantity: 1,
    unit: 'pcs',
    hashrateThs: i % 3 === 0 ? 110 : 95,
    powerW: 3250,
    sealNo: `KZ-${(i % 9000) + 1000}`,
    condition: 'used, dusty, powered off at seizure',
    description: 'Rack 14, row 3, Екібастұз ферма «Қуат-Майнинг»',
  };
}

/** The ceiling: canonicalise, SHA-256 chain and insert N events in one durable transaction. */
export function bareBulkInsert(dir: string, n: number): number {
  const sqlite = new Database(join(dir, 'bare-append.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL,
    data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
  const insert = sqlite.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const started = performance.now();
  sqlite.transaction(() => {
    let prev = ZERO;
    const at = new Date().toISOString();
    for (let seq = 1; seq <= n; seq++) {
      const data = benchEventData(seq);
      const event = {
        seq,
        type: 'bench_event',
        entityType: 'item',
        entityId: data.evidenceNo as string,
        occurredAt: at,
        recordedAt: at,
        actor: 'usr_bench',
        data,
        prevHash: prev,
      };
      const hash = createHash('sha256').update(canonicalize(event)!).digest('hex');
      insert.run(
        seq,
        event.type,
        event.entityType,
        event.entityId,
        at,
        at,
        event.actor,
        JSON.stringify(data),
        prev,
        hash,
      );
      prev = hash;
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  sqlite.close();
  return seconds;
}

/** A real ledger (migrated SQLite file, projectors registered, checkpoints signed) in `dir`. */
export function benchLedger(dir: string, name = 'ledger.db'): AppContext & { dbPath: string } {
  const dbPath = join(dir, name);
  const db = openDb(dbPath);
  return { ...createContext({ db, signer: generateSigner(), checkpointIntervalMs: 0 }), dbPath };
}

/** Appends `n` events through `ledger.writeNow`, in transactions of at most `chunk` events. */
export function appendThroughLedger(ctx: AppContext, n: number, from = 1, chunk = n): number {
  const started = performance.now();
  for (let start = from; start < from + n; start += chunk) {
    const end = Math.min(from + n, start + chunk);
    ctx.ledger.writeNow((tx) => {
      for (let i = start; i < end; i++) {
        const data = benchEventData(i);
        tx.append({
          type: 'bench_event',
          entityType: 'item',
          entityId: data.evidenceNo as string,
          actor: 'usr_bench',
          data,
        });
      }
    });
  }
  return (performance.now() - started) / 1000;
}

export function appendBench(
  dir: string,
  n: number,
): { metrics: Metric[]; ledger: ReturnType<typeof benchLedger> } {
  const bareSeconds = bareBulkInsert(dir, n);
  const ledger = benchLedger(dir);
  const ledgerSeconds = appendThroughLedger(ledger, n);
  const bareRate = n / bareSeconds;
  const ledgerRate = n / ledgerSeconds;
  return {
    ledger,
    metrics: [
      {
        group: 'append',
        name: `bare bulk insert, RFC 8785 + SHA-256 chain, ${n.toLocaleString('en-US')} events (ceiling)`,
        value: bareRate,
        unit: 'events/s',
        ratio: null,
        detail: `${bareSeconds.toFixed(2)} s, one transaction`,
      },
      {
        group: 'append',
        name: `ledger.writeNow, ${n.toLocaleString('en-US')} events, one transaction`,
        value: ledgerRate,
        unit: 'events/s',
        ratio: ledgerRate / bareRate,
        ceiling: 'bare bulk insert',
        goal: 'near 1×',
        detail: `${ledgerSeconds.toFixed(2)} s (Merkle range, head state, checkpoint included)`,
      },
    ],
  };
}
