import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CUSTODY_EVENT_TYPES,
  type CustodyEventType,
  nextStatus,
  WORKFLOW_EVENT_TYPES,
  type WorkflowEventType,
} from '../../src/modules/custody/state-machine';
import type { ItemStatus } from '../../src/modules/items/items.enums';
import { makeTestApp } from '../helpers/app';
import { makeItem, makeParty, makeShelf, nextWeek, postEvent } from './fixtures';

const t = makeTestApp();
let shelf: string;
let party: string;

beforeAll(async () => {
  shelf = (await makeShelf(t)).code;
  party = (await makeParty(t)).id;
});

/** A well-formed body for each custody type: only the state machine may refuse it. */
function bodyFor(type: CustodyEventType, registeredSeq: number): Record<string, unknown> {
  switch (type) {
    case 'received':
    case 'moved':
      return { type, locationCode: shelf };
    case 'transferred':
      return { type, custodian: 'supervisor1' };
    case 'checked_out':
      return { type, partyId: party, purpose: 'hearing', dueAt: nextWeek() };
    case 'returned':
      return { type, locationCode: shelf, condition: 'good', seal: 'intact' };
    case 'seal_changed':
      return { type, newSealNo: 'S-1', reason: 'reseal' };
    case 'examined':
      return { type, examiner: 'E', findings: 'F' };
    case 'valued':
      return {
        type,
        amountMinor: 100,
        currency: 'KZT',
        method: 'book_value',
        appraiser: 'A',
        asOf: '2022-01-01',
      };
    case 'note':
      return { type, text: 'n' };
    case 'correction':
      return { type, corrects: registeredSeq, reason: 'r', fields: { description: 'corrected' } };
  }
}

type Step =
  | { kind: 'custody'; type: CustodyEventType }
  | { kind: 'workflow'; type: WorkflowEventType }
  | { kind: 'junk'; body: Record<string, unknown> };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...CUSTODY_EVENT_TYPES).map((type) => ({ kind: 'custody' as const, type })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...WORKFLOW_EVENT_TYPES).map((type) => ({ kind: 'workflow' as const, type })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        type: fc.constantFrom(...CUSTODY_EVENT_TYPES, 'teleported'),
        extra: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      })
      .map(({ type, extra }) => ({ kind: 'junk' as const, body: { ...extra, type } })),
  },
);

const statusOf = (ev: string) =>
  (
    t.app.locals.ctx.db.sqlite.prepare('SELECT status FROM items WHERE evidence_no = ?').get(ev) as {
      status: ItemStatus;
    }
  ).status;

describe('the state machine, property-tested through the API', () => {
  it('never answers 5xx, and the stored status always equals the table’s prediction', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const ev = await makeItem(t);
        const registeredSeq = t.head();
        let model: ItemStatus = 'registered';
        for (const s of steps) {
          const before = t.head();
          if (s.kind === 'workflow') {
            // Disposal and audits come later: their events go straight to the ledger, as those workflows will.
            t.app.locals.ctx.ledger.writeNow((tx) =>
              tx.append({
                type: `item_${s.type}`,
                entityType: 'item',
                entityId: ev,
                actor: t.userIds.supervisor,
                data: {},
              }),
            );
            model = nextStatus(model, s.type) ?? model;
          } else {
            const body = s.kind === 'custody' ? bodyFor(s.type, registeredSeq) : s.body;
            const res = await postEvent(t, ev, body, 'supervisor');
            expect(res.status).toBeLessThan(500);
            if (s.kind === 'custody') {
              const predicted = nextStatus(model, s.type);
              if (predicted) {
                expect(res.status).toBe(201);
                model = predicted;
              } else {
                expect(res.status).toBe(409);
                expect(res.body).toMatchObject({ code: 'invalid_transition', currentStatus: model });
              }
            } else if (res.status === 201) {
              model = nextStatus(model, body.type as CustodyEventType) ?? model;
            }
            if (res.status >= 400) expect(t.head()).toBe(before);
          }
          expect(statusOf(ev)).toBe(model);
        }
      }),
      { numRuns: 40 },
    );
  });
});
