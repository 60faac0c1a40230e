/**
 * The labels bench's data, registered in a process of its own (the service then starts on it as
 * a deployment does, see service.ts):
 *   tsx scripts/bench/labels-seed.ts seed <db> <key> <warm> <small> <rest>
 *     registers one case with seizures of <warm>, <small> and <rest> items (through the services,
 *     as an import would), prints { caseId, warmSeizureId, smallSeizureId } and exits.
 */
import { createContext, signerFor } from '../../src/context';
import { openDb } from '../../src/db/open';
import { openCase } from '../../src/modules/cases/cases.service';
import { readItemsCsv } from '../../src/modules/items/items.csv';
import { importItems } from '../../src/modules/items/items.service';
import { recordSeizure } from '../../src/modules/seizures/seizures.service';
import { importCsv } from './items';

const [mode, dbPath, keyPath, ...counts] = process.argv.slice(2);

const SITE = {
  region: 'Karaganda Region (Temirtau)',
  address: 'Temirtau, Metallurgov 12, hangar 3',
  seizedAt: '2022-03-09T05:00:00+06:00',
  seizingOfficer: 'Maj. D. Seitkali',
  warrantRef: 'Order 11-2022/207',
  legalGround: 'tax_evasion',
  outcome: 'terminated',
} as const;

if (mode === 'seed' && dbPath && keyPath && counts.length === 3) {
  const db = openDb(dbPath);
  const ctx = createContext({ db, signer: signerFor(db, keyPath), checkpointIntervalMs: 0 });
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
    const seizures = counts.map((n, i) => {
      const s = recordSeizure(tx, kase.id, { ...SITE, farmName: `Ферма «Қуат-Әлем» ${i + 1}` }, 'system');
      importItems(
        tx,
        { caseId: kase.id, seizureId: s.id, rows: readItemsCsv(Buffer.from(importCsv(Number(n), i))) },
        'system',
      );
      return s.id;
    });
    return { caseId: kase.id, warmSeizureId: seizures[0], smallSeizureId: seizures[1] };
  });
  await ctx.ledger.close();
  db.sqlite.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  console.error('usage: labels-seed.ts seed <db> <key> <warm> <small> <rest>');
  process.exit(2);
}
