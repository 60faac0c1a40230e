import type { Db } from '../../db/open';
import { z } from '../../lib/zod';
import { ItemCategorySchema, ItemStatusSchema } from '../items/items.contract';
import { emptyItemTotals, mwhPerDay, summariseCaseItems } from '../items/items.summary';
import { SiteOutcomeSchema } from '../seizures/seizures.contract';
import { seizuresOfCase } from '../seizures/seizures.service';
import { CaseSchema } from './cases.contract';

const Totals = {
  itemCount: z.number().int(),
  byCategory: z.record(ItemCategorySchema, z.number().int()),
  byStatus: z.record(ItemStatusSchema, z.number().int()),
  valuation: z
    .array(z.object({ currency: z.string(), totalMinor: z.number().int(), valuedItems: z.number().int() }))
    .openapi({ description: 'Latest valuation of each item, summed per currency (integer minor units)' }),
  ratedPowerKw: z.number().openapi({
    description:
      'Σ power × quantity of the items that draw power (miners, GPU rigs and cards, cooling, network), kW',
  }),
  energyMwhPerDay: z
    .number()
    .openapi({ description: 'The energy that rated load represents per day: kW × 24 / 1000' }),
};

export const CaseSummarySchema = z
  .object({
    ...Totals,
    seizureCount: z.number().int(),
    estimatedLoadKw: z.number().openapi({ description: 'Σ the seizures’ estimated site load, kW' }),
    estimatedMwhPerDay: z.number(),
    seizures: z.array(
      z.object({
        seizureId: z.string(),
        farmName: z.string(),
        region: z.string(),
        outcome: SiteOutcomeSchema,
        seizedAt: z.string(),
        estimatedLoadKw: z.number().nullable(),
        estimatedMwhPerDay: z.number().nullable(),
        ...Totals,
      }),
    ),
  })
  .openapi('CaseSummary', {
    description: 'What the case holds and the load its seizures removed from the grid',
  });

export const CaseDetailSchema = CaseSchema.extend({ summary: CaseSummarySchema }).openapi('CaseDetail');

export type CaseSummary = z.infer<typeof CaseSummarySchema>;

/** Items by category and status, value per currency, rated power and MWh/day — for the case and each seizure. */
export function caseSummary(db: Db, caseId: string): CaseSummary {
  const { total, bySeizure } = summariseCaseItems(db, caseId);
  const seizures = seizuresOfCase(db, caseId).map((s) => ({
    seizureId: s.id,
    farmName: s.farmName,
    region: s.region,
    outcome: s.outcome,
    seizedAt: s.seizedAt,
    estimatedLoadKw: s.estimatedLoadKw,
    estimatedMwhPerDay: s.estimatedLoadKw === null ? null : mwhPerDay(s.estimatedLoadKw),
    ...(bySeizure.get(s.id) ?? emptyItemTotals()),
  }));
  const estimatedLoadKw = seizures.reduce((sum, s) => sum + (s.estimatedLoadKw ?? 0), 0);
  return {
    ...total,
    seizureCount: seizures.length,
    estimatedLoadKw,
    estimatedMwhPerDay: mwhPerDay(estimatedLoadKw),
    seizures,
  };
}
