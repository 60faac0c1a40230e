import { OccurredAtSchema, PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { LEGAL_GROUNDS, SITE_OUTCOMES } from './seizures.enums';

export const LegalGroundSchema = z.enum(LEGAL_GROUNDS);
export const SiteOutcomeSchema = z.enum(SITE_OUTCOMES).openapi({
  description: 'How the site ended: the operator ceased voluntarily, or the site was terminated.',
});

const text = (max: number) => z.string().trim().min(1).max(max);

export const RecordSeizureBody = z
  .strictObject({
    farmName: text(300).openapi({ example: 'Ферма «Қуат»' }),
    region: text(200).openapi({ example: 'Pavlodar Region (Ekibastuz)' }),
    address: text(1000).openapi({ example: 'Ekibastuz, industrial zone 4, building 17' }),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    seizedAt: OccurredAtSchema.openapi({
      description:
        'When the site was seized, RFC 3339 with offset; never in the future. Also the event’s occurredAt.',
      example: '2022-02-14T06:30:00+06:00',
    }),
    seizingOfficer: text(300).openapi({ example: 'Capt. A. Nurlanov' }),
    warrantRef: text(200).openapi({ example: 'Order 7-2022/114 of 2022-02-12' }),
    legalGround: LegalGroundSchema,
    outcome: SiteOutcomeSchema,
    estimatedLoadKw: z.number().finite().min(0).max(10_000_000).nullable().optional().openapi({
      description: 'Estimated electrical load of the site, kW.',
      example: 4200,
    }),
  })
  .openapi('RecordSeizure');

export const SeizureSchema = z
  .object({
    id: z.string(),
    caseId: z.string(),
    farmName: z.string(),
    region: z.string(),
    address: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    seizedAt: z.string(),
    seizingOfficer: z.string(),
    warrantRef: z.string(),
    legalGround: LegalGroundSchema,
    outcome: SiteOutcomeSchema,
    estimatedLoadKw: z.number().nullable(),
    createdSeq: z.number().int(),
  })
  .openapi('Seizure');

export const SeizureListSchema = pageSchema(SeizureSchema, 'SeizureList');
export const SeizureListQuery = PageQuery;
export const SeizureIdParams = z.object({ seizureId: z.string().min(1).max(100) });
