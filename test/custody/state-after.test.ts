import { describe, expect, it } from 'vitest';
import { findCustodyState } from '../../src/modules/custody/custody.state';
import { makeTestApp } from '../helpers/app';
import { makeItem, makeParty, makeShelf, nextWeek, record } from './fixtures';

const t = makeTestApp();

describe('the item state an event answers with', () => {
  it('is the row as read back after the event, for every kind of change', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t, 'Shelf S');
    const other = await makeShelf(t, 'Shelf T');
    const party = await makeParty(t);
    const events: [Record<string, unknown>, 'clerk' | 'supervisor'][] = [
      [{ type: 'note', text: 'before receipt' }, 'clerk'],
      [{ type: 'received', locationCode: shelf.code, condition: 'used' }, 'clerk'],
      [{ type: 'moved', locationCode: other.printed }, 'clerk'],
      [
        {
          type: 'valued',
          amountMinor: 1_250_000,
          currency: 'KZT',
          asOf: '2024-01-10',
          method: 'expert_appraisal',
          appraiser: 'A. Expert',
        },
        'clerk',
      ],
      [{ type: 'checked_out', partyId: party.id, purpose: 'expert examination', dueAt: nextWeek() }, 'clerk'],
      [
        {
          type: 'returned',
          locationCode: shelf.code,
          condition: 'scratched',
          seal: 'broken',
          newSealNo: 'KZ-FMA 7777777',
        },
        'clerk',
      ],
      [{ type: 'seal_changed', newSealNo: 'KZ-FMA 8888888', reason: 'opened for inspection' }, 'clerk'],
      [{ type: 'note', text: 'пломба цела' }, 'clerk'],
    ];
    let last = 0;
    for (const [event, role] of events) {
      const r = await record(t, ev, event, role);
      expect(r.item, String(event.type)).toEqual(findCustodyState(t.app.locals.ctx.db, ev));
      last = r.seq;
    }
    const corrected = await record(
      t,
      ev,
      {
        type: 'correction',
        corrects: last - 1,
        reason: 'misread the seal',
        fields: { newSealNo: 'KZ-FMA 8888889' },
      },
      'supervisor',
    );
    expect(corrected.item).toMatchObject({ sealNo: 'KZ-FMA 8888889', status: 'in_storage' });
    expect(corrected.item).toEqual(findCustodyState(t.app.locals.ctx.db, ev));
  });
});
