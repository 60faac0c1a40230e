/**
 * Makes one small item report through the real services (fixed clock, the published example key of
 * scripts/ledger-example.ts) and prints the worked example of docs/ledger-format.md, "Reports":
 * its payload, fingerprint, checkpoint, one event's tlog-proof and the printed rows.
 *   npx tsx scripts/report-example.ts            prints it (Markdown)
 *   npx tsx scripts/report-example.ts --write    replaces it in docs/ledger-format.md
 * test/docs/reports-format.test.ts checks the blocks in the doc against the code.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../src/context';
import { openDb } from '../src/db/open';
import { signerFromPrivateKey } from '../src/ledger/signer';
import * as cases from '../src/modules/cases/cases.service';
import { recordEvent } from '../src/modules/custody/custody.service';
import { registerItem } from '../src/modules/items/items.service';
import { createLocation } from '../src/modules/locations/locations.service';
import type { ItemReportPayload } from '../src/modules/reports/item.payload';
import { displayOrder, eventCells } from '../src/modules/reports/item.render';
import { makeItemReport } from '../src/modules/reports/reports.service';
import { pdfAttachments } from '../src/modules/reports/verify-report';
import { recordSeizure } from '../src/modules/seizures/seizures.service';
import * as users from '../src/modules/users/users.service';
import { EXAMPLE_SEED_HEX } from './ledger-example';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const fence = (info: string, body: string) =>
  `\`\`\`${info}\n${body.endsWith('\n') ? body : `${body}\n`}\`\`\``;

/** The printed rows of a payload, one per line, cells joined by " | " (the rule of the doc). */
export function rowsOf(p: ItemReportPayload): string {
  return `${displayOrder(p.section.events)
    .map((e) => eventCells(e).join(' | '))
    .join('\n')}\n`;
}

export async function renderReportExample(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-report-example-'));
  const db = openDb(join(dir, 'custody.db'));
  try {
    const signer = signerFromPrivateKey(
      createPrivateKey({
        key: Buffer.concat([PKCS8_ED25519, Buffer.from(EXAMPLE_SEED_HEX, 'hex')]),
        format: 'der',
        type: 'pkcs8',
      }),
    );
    let tick = 0;
    const clock = () => new Date(Date.UTC(2026, 2, 14, 9, 30, 0, 0) + 61_250 * tick++);
    const app = createContext({ db, signer, clock, checkpointIntervalMs: 0 });
    const { ledger } = app;
    const [clerk, prosecutor] = ledger.writeNow((tx) => [
      users.createUser(tx, { username: 'aigul', displayName: 'Айгүл Қасымова', role: 'clerk' }, 'system'),
      users.createUser(tx, { username: 'dana', displayName: 'Дана Исқақова', role: 'prosecutor' }, 'system'),
    ]);
    const evidenceNo = ledger.writeNow((tx) => {
      const c = cases.openCase(
        tx,
        {
          number: '12/345-2026',
          title: 'Illegal mining farm, Ekibastuz',
          legalBasis: 'Criminal Code art. 214',
          agency: 'Financial Monitoring Agency',
          openedOn: '2026-03-01',
        },
        clerk!.id,
      );
      const s = recordSeizure(
        tx,
        c.id,
        {
          farmName: 'Ферма «Қуат»',
          region: 'Pavlodar Region',
          address: 'Ekibastuz, industrial zone 4',
          seizedAt: '2026-03-13T06:30:00+05:00',
          seizingOfficer: 'Capt. A. Nurlanov',
          warrantRef: 'Order 7-2026/114',
          legalGround: 'illegal_grid_connection',
          outcome: 'terminated',
        },
        clerk!.id,
      );
      return registerItem(
        tx,
        {
          caseId: c.id,
          seizureId: s.id,
          category: 'asic_miner',
          make: 'Bitmain',
          model: 'Antminer S19 Pro',
          serialNumber: 'HTX2100000001',
          quantity: 1,
          unit: 'pcs',
          sealNo: 'KZ-0001',
        },
        clerk!.id,
      ).evidenceNo;
    });
    ledger.writeNow((tx) => {
      const wh = createLocation(tx, { kind: 'warehouse', name: 'Ekibastuz WH-1' }, clerk!.id);
      recordEvent(
        tx,
        evidenceNo,
        { type: 'received', locationCode: wh.code, occurredAt: '2026-03-14T14:33:00+05:00' },
        clerk!,
      );
    });
    const me = {
      id: prosecutor!.id,
      username: 'dana',
      displayName: prosecutor!.displayName,
      role: prosecutor!.role,
    };
    const report = await makeItemReport(app, evidenceNo, me, 'https://custody.example');
    const file = join(dir, 'report.pdf');
    writeFileSync(file, report.pdf);
    const files = pdfAttachments(file);
    const last = report.payload.section.events.at(-1)!;
    return [
      `An item registered at its seizure and received into the warehouse, reported for a prosecutor. \`payload.json\`, exactly as attached (one line, RFC 8785):`,
      fence('json example:report-payload', files.get('payload.json')!.toString('utf8')),
      'Its SHA-256, the fingerprint (`X-Report-Fingerprint`):',
      fence('text example:report-fingerprint', report.fingerprint),
      '`checkpoint.txt`:',
      fence('text example:report-checkpoint', files.get('checkpoint.txt')!.toString('utf8')),
      `\`proofs/seq-${last.seq}.tlog-proof\` (the received event):`,
      fence('text example:report-proof', files.get(`proofs/seq-${last.seq}.tlog-proof`)!.toString('utf8')),
      'The printed rows (cells joined by ` | ` here; in the PDF each cell is a column):',
      fence('text example:report-rows', rowsOf(report.payload)),
    ].join('\n\n');
  } finally {
    db.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'ledger-format.md');
export const BEGIN = '<!-- report-example:begin (generated by scripts/report-example.ts) -->';
export const END = '<!-- report-example:end -->';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const example = await renderReportExample();
  if (process.argv.includes('--write')) {
    const doc = readFileSync(DOC_PATH, 'utf8');
    const from = doc.indexOf(BEGIN);
    const to = doc.indexOf(END);
    if (from < 0 || to < from) throw new Error(`docs/ledger-format.md has no ${BEGIN} … ${END}`);
    writeFileSync(DOC_PATH, `${doc.slice(0, from + BEGIN.length)}\n\n${example}\n${doc.slice(to)}`);
  } else process.stdout.write(`${example}\n`);
}
