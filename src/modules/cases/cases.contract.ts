import { IsoDateSchema, OccurredAtSchema, PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { CASE_STATUSES } from './cases.enums';

export const CaseStatusSchema = z.enum(CASE_STATUSES);

export const CreateCaseBody = z
  .strictObject({
    number: z.string().trim().min(1).max(64).openapi({ example: '12/345-2022' }),
    title: z.string().trim().min(1).max(500),
    legalBasis: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .openapi({ example: 'Criminal Code art. 214 (illegal business)' }),
    agency: z.string().trim().min(1).max(200).openapi({ example: 'Financial Monitoring Agency' }),
    openedOn: IsoDateSchema,
    occurredAt: OccurredAtSchema.optional(),
  })
  .openapi('CreateCase');

export const ChangeCaseStatusBody = z
  .strictObject({
    status: CaseStatusSchema,
    reason: z.string().trim().min(1).max(2000),
    occurredAt: OccurredAtSchema.optional(),
  })
  .openapi('ChangeCaseStatus');

export const CaseSchema = z
  .object({
    id: z.string().openapi({ description: 'Opaque id; use it in paths (a case number may hold a slash).' }),
    number: z.string(),
    title: z.string(),
    legalBasis: z.string(),
    agency: z.string(),
    openedOn: z.string(),
    status: CaseStatusSchema,
    createdSeq: z.number().int(),
    updatedSeq: z.number().int(),
  })
  .openapi('Case');

export const CaseListSchema = pageSchema(CaseSchema, 'CaseList');

export const CaseListQuery = PageQuery.extend({
  number: z.string().max(64).optional().openapi({ description: 'Exact case number' }),
  status: CaseStatusSchema.optional(),
});

export const CaseIdParams = z.object({ caseId: z.string().min(1).max(100) });
