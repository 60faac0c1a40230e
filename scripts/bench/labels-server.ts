/**
 * The labels bench's service, in a process of its own so its peak RSS is its own.
 *   tsx scripts/bench/labels-server.ts seed <db> <small> <large>
 *     registers one case with a seizure of <small> items and one of <large> items (through the
 *     services, as an import would), prints { caseId, smallSeizureId } and exits;
 *   tsx scripts/bench/labels-server.ts serve <db>
 *     serves the real app on a loopback port, prints { port, token }; on SIGTERM prints
 *     { peakRssMb } (the process's lifetime peak) and exits.
 */
import { createApp } from '../../src/app';
import { createContext, signerFor } from '../../src/context';
import { openDb } from '../../src/db/open';
import { openCase } from '../../src/modules/cases/cases.service';
import { readItemsCsv } from '../../src/modules/items/items.csv';
import { importItems } from '../../src/modules/items/items.service';
import { recordSeizure } from '../../src/modules/seizures/seizures.service';
import * as users from '../../src/modules/users/users.service';
import { importCsv } from './items';

const [mode, dbPath, small, large] = process.argv.slice(2);

const SITE = {
  region: 'Karaganda Region (Temirtau)',
  address: 'Temirtau, Metallurgov 12, hangar 3',
  seizedAt: '2022-03-09T05:00:00+06:00',
  seizingOfficer: 'Maj. D. Seitkali',
  warrantRef: 'Order 11-2022/207',
  legalGround: 'tax_evasion',
  outcome: 'terminated',
} as const;

if (mode === 'seed' && dbPath) {
  const db = openDb(dbPath);
  const ctx = createContext({
    db,
    signer: signerFor(db, `${dbPath}.key`),
    checkpointIntervalMs: 0,
    checkpointFile: null,
  });
  const out = ctx.ledger.writeNow((tx) => {
    const kase = openCase(
      tx,
      {
        number: 'BENCH-LABELS/2022',
        title: 'Bench',
        legalBasis: 'Art. 214',
        agency: 'FMA',
        openedOn: '2022-03-01',
      },
      'system',
    );
    const seizures = [Number(small), Number(large)].map((n, i) => {
      const s = recordSeizure(tx, kase.id, { ...SITE, farmName: `Ферма «Қуат-Әлем» ${i + 1}` }, 'system');
      importItems(
        tx,
        { caseId: kase.id, seizureId: s.id, rows: readItemsCsv(Buffer.from(importCsv(n, i))) },
        'system',
      );
      return s.id;
    });
    return { caseId: kase.id, smallSeizureId: seizures[0] };
  });
  await ctx.ledger.close();
  db.sqlite.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else if (mode === 'serve' && dbPath) {
  const db = openDb(dbPath);
  const app = createApp({ db, signer: signerFor(db, `${dbPath}.key`), checkpointIntervalMs: 0 });
  const token = app.locals.ctx.ledger.writeNow((tx) => {
    const u = users.createUser(
      tx,
      { username: 'bench', displayName: 'Bench clerk', role: 'clerk' },
      'system',
    );
    return users.issueToken(tx, u.id, 'system').token;
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, token })}\n`,
    );
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => {
      process.stdout.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
      process.exit(0);
    });
  });
} else {
  console.error('usage: labels-server.ts seed <db> <small> <large> | serve <db>');
  process.exit(2);
}
