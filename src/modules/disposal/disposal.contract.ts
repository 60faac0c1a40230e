import { EvidenceNoInput, IsoDateSchema, OccurredAtSchema, PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { MAX_AMOUNT_MINOR } from '../custody/custody.contract';
import { DocumentRefs, Sha256Schema } from '../documents/documents.contract';
import { ITEM_CATEGORIES, ITEM_STATUSES } from '../items/items.enums';
import { LocationCodeInput } from '../locations/locations.contract';
import {
  AUTHORITY_KINDS,
  DISCREPANCY_RESOLUTIONS,
  DISPOSAL_STATUSES,
  DISPOSITIONS,
  ITEM_OUTCOMES,
  MAX_DISPOSAL_ITEMS,
} from './disposal.enums';

const text = (max: number) => z.string().trim().min(1).max(max);

export const AuthoritySchema = z
  .strictObject({
    kind: z.enum(AUTHORITY_KINDS).default('court_order'),
    number: text(100).openapi({ description: 'The order or decision number', example: '2-1187/2026' }),
    date: IsoDateSchema.openapi({ description: 'The date of the order or decision' }),
    issuer: text(300).openapi({ description: 'The issuing body', example: 'Экибастузский городской суд' }),
    document: Sha256Schema.optional().openapi({
      description: 'The scanned order, attached first with POST /documents',
    }),
  })
  .openapi('DisposalAuthority');

export const SelectionSchema = z
  .strictObject({
    caseId: text(100),
    seizureId: text(100).optional(),
    category: z.enum(ITEM_CATEGORIES).optional(),
    locationCode: LocationCodeInput.optional().openapi({
      description: 'That location and everything inside it',
    }),
  })
  .openapi('DisposalSelection', {
    description: 'Every item of a case (or one of its seizures) matching the filters',
  });

export const ProposeDisposalBody = z
  .strictObject({
    disposition: z.enum(DISPOSITIONS),
    authority: AuthoritySchema,
    items: z.array(EvidenceNoInput).min(1).max(MAX_DISPOSAL_ITEMS).optional(),
    selection: SelectionSchema.optional(),
    documents: DocumentRefs.optional(),
    note: text(2000).optional(),
  })
  .refine((b) => (b.items === undefined) !== (b.selection === undefined), {
    path: ['items'],
    message: 'name the items, or a selection (caseId with filters), not both',
  })
  .openapi('ProposeDisposal');

export const ReasonBody = z.strictObject({ reason: text(2000) });
export const ApproveBody = z.strictObject({ note: text(2000).optional() });
export const CancelBody = z.strictObject({ reason: text(2000).optional() });

export const ScanBody = z
  .strictObject({
    code: z
      .string()
      .max(100)
      .openapi({ description: 'The scanned label: an evidence number in either form' }),
    occurredAt: OccurredAtSchema.optional(),
    proceedsMinor: z
      .number()
      .int()
      .min(0)
      .max(MAX_AMOUNT_MINOR)
      .optional()
      .openapi({ description: 'Sales only: this item’s share of the proceeds, minor units' }),
  })
  .openapi('DisposalScan');

export const WitnessInput = z
  .union([
    z.strictObject({ user: text(100).openapi({ description: 'A user id or username' }) }),
    z.strictObject({
      name: text(200),
      title: text(200).openapi({ example: 'Senior inspector' }),
      agency: text(300).openapi({ example: 'Prosecutor’s Office of Pavlodar Region' }),
    }),
  ])
  .openapi('WitnessInput', { description: 'A user, or a witness from outside with name, title and agency' });

const Money = z.strictObject({
  amountMinor: z.number().int().min(0).max(MAX_AMOUNT_MINOR),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as KZT or USD'),
});

export const CompleteBody = z
  .strictObject({
    occurredAt: OccurredAtSchema.optional().openapi({ description: 'When the disposal took place' }),
    place: text(300).openapi({ example: 'Ekibastuz, industrial zone 4, MetallService LLP yard' }),
    method: text(200).openapi({ example: 'crushing' }),
    contractor: text(300).optional(),
    transport: text(300).optional().openapi({ example: 'Truck 123 ABC 14, escorted by two officers' }),
    witnesses: z.array(WitnessInput).max(20),
    documents: DocumentRefs.optional().openapi({ description: 'Photos of the destruction, receipts' }),
    sale: z
      .strictObject({ buyer: text(300), buyerReference: text(200).optional(), proceeds: Money })
      .optional()
      .openapi({ description: 'Required for a sale' }),
    owner: z
      .strictObject({ name: text(300), identityDocument: text(200) })
      .optional()
      .openapi({ description: 'Required for a release to the owner' }),
    agency: z
      .strictObject({ name: text(300), reference: text(200).optional() })
      .optional()
      .openapi({ description: 'Required for a transfer to another agency' }),
    note: text(2000).optional(),
  })
  .openapi('CompleteDisposal');

export const ResolveBody = z
  .strictObject({
    resolution: z.enum(DISCREPANCY_RESOLUTIONS),
    reason: text(2000),
    locationCode: LocationCodeInput.optional().openapi({
      description: 'Where it was found (resolution `found`)',
    }),
  })
  .refine((b) => (b.resolution === 'found') === (b.locationCode !== undefined), {
    path: ['locationCode'],
    message: 'a found item needs the location it is put at; a write-off has none',
  })
  .openapi('ResolveDiscrepancy');

export const DisposalParams = z.object({ disposalId: text(100) });
export const DisposalItemParams = DisposalParams.extend({ evidenceNo: EvidenceNoInput });

export const DisposalListQuery = PageQuery.extend({ status: z.enum(DISPOSAL_STATUSES).optional() });
export const DisposalItemsQuery = PageQuery.extend({ outcome: z.enum(ITEM_OUTCOMES).optional() });
export const DiscrepancyQuery = PageQuery.extend({ open: z.enum(['true', 'false']).optional() });
export const EligibleQuery = PageQuery.extend({ caseId: text(100).optional() });

const UserRef = z.object({ id: z.string(), name: z.string() });

export const DisposalSchema = z
  .object({
    id: z.string(),
    status: z.enum(DISPOSAL_STATUSES),
    disposition: z.enum(DISPOSITIONS),
    authority: z.object({
      kind: z.enum(AUTHORITY_KINDS),
      number: z.string(),
      date: z.string(),
      issuer: z.string(),
      document: z.string().nullable(),
    }),
    documents: z.array(z.string()),
    caseId: z.string().nullable(),
    counts: z.object({
      items: z.number().int(),
      scanned: z.number().int(),
      missing: z.number().int(),
      openDiscrepancies: z.number().int(),
    }),
    proposedBy: UserRef,
    proposedAt: z.string(),
    decidedBy: UserRef.nullable().openapi({ description: 'Who approved, rejected or cancelled it' }),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    completedBy: UserRef.nullable(),
    completedOn: z.string().nullable(),
    certificateNo: z.string().nullable(),
    completion: z.record(z.string(), z.unknown()).nullable().openapi({
      description: 'The disposal_completed event’s data: place, method, contractor, transport, witnesses …',
    }),
    lastSeq: z.number().int(),
  })
  .openapi('Disposal');

export const DisposalListSchema = pageSchema(DisposalSchema, 'DisposalList');

export const DisposalItemSchema = z
  .object({
    disposalId: z.string(),
    evidenceNo: z.string(),
    printed: z.string(),
    position: z.number().int(),
    outcome: z.enum(ITEM_OUTCOMES),
    scannedAt: z.string().nullable(),
    scannedBy: z.string().nullable(),
    resolution: z.enum(DISCREPANCY_RESOLUTIONS).nullable(),
    resolutionNote: z.string().nullable(),
    category: z.enum(ITEM_CATEGORIES),
    make: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    status: z.enum(ITEM_STATUSES),
  })
  .openapi('DisposalItem');

export const DisposalItemListSchema = pageSchema(DisposalItemSchema, 'DisposalItemList');

export const ScanResultSchema = z
  .object({
    seq: z.number().int(),
    evidenceNo: z.string(),
    printed: z.string(),
    category: z.enum(ITEM_CATEGORIES),
    make: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    scanned: z.number().int(),
    remaining: z.number().int(),
  })
  .openapi('DisposalScanResult');

export const EligibleItemSchema = z
  .object({
    evidenceNo: z.string(),
    printed: z.string(),
    caseId: z.string(),
    caseNumber: z.string(),
    category: z.enum(ITEM_CATEGORIES),
    make: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    status: z.enum(ITEM_STATUSES),
    locationCode: z.string().nullable(),
    reason: z.enum(['case_closed', 'disposal_authorised']),
    disposalId: z.string().nullable(),
    since: z
      .string()
      .openapi({ description: 'When it became eligible (case closed, or disposal approved), UTC' }),
    valuation: z.object({ amountMinor: z.number().int(), currency: z.string() }).nullable(),
  })
  .openapi('EligibleItem');

export const EligibleListSchema = pageSchema(EligibleItemSchema, 'EligibleItemList');
