import type { Response } from 'superagent';
import { expect } from 'vitest';
import type { ReportEvent } from '../../src/modules/reports/item.payload';
import { displayOrder, eventCells } from '../../src/modules/reports/item.render';
import { makeItem, makeLocation, makeParty, makeShelf, nextWeek, record } from '../custody/fixtures';
import type { TestApp } from '../helpers/app';
import { auth } from '../helpers/app';
import { squash } from './pdf-tools';

/**
 * An item with a history a court exhibit must show: received, moved, custody transferred, lent to a
 * court (Kazakh name) and returned with its seal broken and resealed, examined (long findings),
 * valued twice, a correction of the registration and one of a move, and a note.
 */
export async function makeRichItem(t: TestApp) {
  const evidenceNo = await makeItem(t);
  const shelfA = await makeShelf(t, 'Shelf A');
  const warehouse = await makeLocation(t, { name: 'Екібастұз қоймасы WH-2' });
  const room = await makeLocation(t, { kind: 'room', name: 'Қойма 2 (cage)', parentCode: warehouse.code });
  const shelfB = await makeLocation(t, { kind: 'shelf', name: 'Shelf B', parentCode: room.code });
  const court = await makeParty(t, { kind: 'court', name: 'Екібастұз қалалық соты (Ekibastuz City Court)' });
  const received = await record(t, evidenceNo, {
    type: 'received',
    locationCode: shelfA.code,
    condition: 'dusty, working',
  });
  const moved = await record(t, evidenceNo, {
    type: 'moved',
    locationCode: shelfB.code,
    reason: 'Room 1 reorganised',
  });
  await record(t, evidenceNo, { type: 'transferred', custodian: 'supervisor1', reason: 'Shift handover' });
  await record(t, evidenceNo, {
    type: 'checked_out',
    partyId: court.id,
    purpose: 'Shown to the court at the hearing of 14 March (main trial, session 3)',
    dueAt: nextWeek(),
  });
  await record(t, evidenceNo, {
    type: 'returned',
    locationCode: shelfA.code,
    condition: 'good; one fan missing',
    seal: 'broken',
    newSealNo: 'KZ-FMA 0990001',
  });
  await record(t, evidenceNo, {
    type: 'examined',
    examiner: 'Ермеков Н., forensic expert',
    findings:
      'Hash boards 1–3 present and working; the control board firmware was modified to report a lower power draw than it has. Serial number plate matches the registration. Photos taken: 14. ' +
      'The unit was powered for 20 minutes under load at the lab bench; measured draw 3,310 W at the wall.',
  });
  await record(t, evidenceNo, {
    type: 'valued',
    amountMinor: 185000,
    currency: 'USD',
    method: 'market_comparison',
    appraiser: 'Сәрсенбаева Г. (licensed appraiser)',
    asOf: '2022-06-30',
  });
  await record(t, evidenceNo, {
    type: 'valued',
    amountMinor: 47500000,
    currency: 'KZT',
    method: 'expert_appraisal',
    appraiser: 'Сәрсенбаева Г. (licensed appraiser)',
    asOf: '2022-12-31',
  });
  await record(
    t,
    evidenceNo,
    {
      type: 'correction',
      corrects: moved.seq,
      reason: 'The reason was recorded wrongly',
      fields: { reason: 'Shelf A full' },
    },
    'supervisor',
  );
  await record(t, evidenceNo, { type: 'note', text: 'Label reprinted after the return.' });
  return { evidenceNo, received, moved, court };
}

export function getReport(
  t: TestApp,
  evidenceNo: string,
  role: keyof TestApp['tokens'] = 'prosecutor',
  query = '',
) {
  return (
    t.http
      .get(`/api/v1/items/${encodeURIComponent(evidenceNo)}/custody-report.pdf${query}`)
      .set(auth(t.tokens[role]))
      // supertest listens on a new port per request: a fixed Host keeps the report's URL the same.
      .set('Host', 'custody.example:3000')
      .buffer(true)
      .parse(pdfOrProblem)
  );
}

/** supertest body parser: the PDF as a Buffer, a problem+json as its object. */
export function pdfOrProblem(res: Response, cb: (err: Error | null, body: unknown) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => {
    const body = Buffer.concat(chunks);
    cb(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(body.toString('utf8')) : body);
  });
}

/** Every cell of every event row is in the (squashed) text of the PDF. */
export function expectEventsPrinted(text: string, events: readonly ReportEvent[]) {
  for (const e of displayOrder(events))
    for (const cell of eventCells(e)) expect(text).toContain(squash(cell));
}
