import { EvidenceNoParams, OccurredAtSchema, PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { LocationCodeInput } from '../locations/locations.contract';
import {
  AUDIT_SCOPES,
  AUDIT_STATUSES,
  DISCREPANCY_KINDS,
  LOCATE_STATUSES,
  SCAN_OUTCOMES,
} from './audits.enums';

/** Scans one request may carry (a handheld syncing a shelf it scanned offline). */
export const MAX_SCANS = 1000;

const text = (max: number) => z.string().trim().min(1).max(max);

export const AuditIdParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: 'The audit id', example: 'aud_3f9k2m8q1w7x4z6c' }),
});

export const StartAuditBody = z
  .strictObject({
    locationCode: LocationCodeInput.optional().openapi({
      description: 'Audit everything stored at this location and inside it (a shelf, a room, a warehouse).',
    }),
    caseId: text(64)
      .optional()
      .openapi({ description: 'Audit every item of this case, wherever it is stored.' }),
    title: text(200).optional().openapi({ example: 'Quarterly inventory, Room 2' }),
    occurredAt: OccurredAtSchema.optional(),
  })
  .refine((b) => (b.locationCode === undefined) !== (b.caseId === undefined), {
    message: 'give exactly one of locationCode and caseId',
    path: ['locationCode'],
  })
  .openapi('StartAudit');

const Scan = z.strictObject({
  code: z.string().max(100).openapi({
    description:
      'What the scanner read: a location code (LC…) or an evidence number (EV…), compact or printed, any case.',
    example: 'EV2600000014',
  }),
  sealIntact: z.boolean().optional().openapi({
    description:
      'For a sealed container: its seal is intact, so it stands for its contents (they are counted, marked so).',
  }),
  sealNo: text(100).optional().openapi({
    description:
      'The seal number read on the container; if it differs from the recorded seal, the contents are not counted.',
  }),
  occurredAt: OccurredAtSchema.optional(),
});

const scanner = text(64).optional().openapi({
  description:
    'Names the device when one user scans with several; each user (and device) has its own current location.',
  example: 'handheld-3',
});

export const ScanBody = z
  .union([
    Scan.extend({ scanner }).openapi('ScanOne', { description: 'One scan.' }),
    z
      .strictObject({ scans: z.array(Scan).min(1).max(MAX_SCANS), scanner })
      .openapi('ScanMany', { description: `Up to ${MAX_SCANS} scans in the order they were read.` }),
  ])
  .openapi('ScanRequest');

const PlaceSchema = z
  .object({ code: z.string(), printed: z.string(), path: z.string() })
  .openapi('AuditPlace');

const ItemBrief = z
  .object({
    evidenceNo: z.string(),
    printed: z.string(),
    category: z.string(),
    make: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    caseId: z.string(),
  })
  .openapi('AuditItem');

const ScanResultSchema = z
  .object({
    index: z.number().int(),
    code: z.string(),
    printed: z.string(),
    outcome: z.enum(SCAN_OUTCOMES),
    message: z.string().openapi({ description: 'What to tell the person scanning' }),
    location: PlaceSchema.openapi({
      description: 'Where it was scanned (for a location scan, the location)',
    }),
    inScope: z.boolean(),
    item: ItemBrief.optional(),
    expectedLocation: PlaceSchema.optional(),
    recordedStatus: z.string().optional(),
    checkedOut: z
      .object({
        partyId: z.string().nullable(),
        partyName: z.string().nullable(),
        purpose: z.string().nullable(),
        dueAt: z.string().nullable(),
      })
      .optional(),
    firstScan: z
      .object({ seq: z.number().int(), locationCode: z.string(), occurredAt: z.string() })
      .optional(),
    viaContainer: z.string().optional(),
    contents: z
      .array(z.object({ evidenceNo: z.string(), outcome: z.enum(SCAN_OUTCOMES) }))
      .optional()
      .openapi({ description: 'The items a sealed container stood for' }),
    sealMismatch: z.boolean().optional(),
    again: z.boolean().optional(),
    expectedHere: z.number().int().optional(),
    foundHere: z.number().int().optional(),
    unscannedSubLocations: z
      .object({ count: z.number().int(), items: z.array(PlaceSchema) })
      .optional()
      .openapi({
        description: 'Scanning a parent location: its sub-locations not yet scanned in this audit',
      }),
  })
  .openapi('ScanResult');

export const ScanAnswerSchema = z
  .object({ auditId: z.string(), seq: z.number().int(), results: z.array(ScanResultSchema) })
  .openapi('ScanAnswer');

const CountsSchema = z
  .object({
    expected: z.number().int(),
    found: z.number().int(),
    foundViaContainer: z.number().int(),
    notYetScanned: z.number().int(),
    missing: z.number().int(),
    misplaced: z.number().int(),
    unexpected: z.number().int(),
    accountedFor: z.number().int(),
    duplicates: z.number().int(),
    itemsScanned: z.number().int(),
    locationsInScope: z.number().int(),
    locationsScanned: z.number().int(),
  })
  .openapi('AuditCounts');

const DiscrepancySchema = z
  .object({
    kind: z.enum(DISCREPANCY_KINDS),
    evidenceNo: z.string(),
    printed: z.string(),
    item: ItemBrief.nullable(),
    expectedLocation: PlaceSchema.nullable(),
    foundLocation: PlaceSchema.nullable(),
    recordedStatus: z.string().nullable(),
    outcome: z.enum(SCAN_OUTCOMES).nullable(),
    seq: z.number().int().nullable().openapi({ description: 'The audit_discrepancy event (closed audits)' }),
  })
  .openapi('AuditDiscrepancy');

export const AuditSchema = z
  .object({
    id: z.string(),
    scope: z.enum(AUDIT_SCOPES),
    location: PlaceSchema.nullable(),
    caseId: z.string().nullable(),
    title: z.string().nullable(),
    status: z.enum(AUDIT_STATUSES),
    startedBy: z.object({ id: z.string(), name: z.string() }),
    startedAt: z.string(),
    startedSeq: z.number().int(),
    closedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    closedAt: z.string().nullable(),
    closedSeq: z.number().int().nullable(),
    expectedAtStart: z.number().int(),
  })
  .openapi('Audit');

export const AuditDetailSchema = AuditSchema.extend({
  counts: CountsSchema,
  certification: z.enum(['no_exceptions', 'exceptions']).nullable(),
  discrepancies: z.object({
    missing: z.array(DiscrepancySchema),
    misplaced: z.array(DiscrepancySchema),
    unexpected: z.array(DiscrepancySchema),
    truncated: z
      .boolean()
      .openapi({ description: 'More than the first 200 of a kind: page them with the report' }),
  }),
  unscannedLocations: z.array(PlaceSchema),
}).openapi('AuditDetail');

export const AuditListQuery = PageQuery.extend({ status: z.enum(AUDIT_STATUSES).optional() });
export const AuditListSchema = pageSchema(AuditSchema, 'AuditList');

export const CloseAuditBody = z
  .strictObject({ note: text(2000).optional(), occurredAt: OccurredAtSchema.optional() })
  .openapi('CloseAudit');

export const LocateQuery = PageQuery.extend({
  status: z
    .enum([...LOCATE_STATUSES, 'resolved', 'all'])
    .default('open')
    .openapi({
      description: '`open` (default), `found`, `written_off`, `resolved` (either) or `all`',
    }),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Only open entries past (or within) their due time' }),
  auditId: z.string().max(64).optional(),
});

export const LocateEntrySchema = z
  .object({
    auditId: z.string(),
    evidenceNo: z.string(),
    printed: z.string(),
    item: ItemBrief.nullable(),
    itemStatus: z.string().nullable(),
    lastLocation: PlaceSchema.nullable(),
    reportedSeq: z.number().int(),
    reportedAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    status: z.enum(LOCATE_STATUSES),
    resolvedSeq: z.number().int().nullable(),
    resolvedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    resolvedAt: z.string().nullable(),
    foundLocation: PlaceSchema.nullable(),
    reason: z.string().nullable(),
  })
  .openapi('UnableToLocate');

export const LocateListSchema = pageSchema(LocateEntrySchema, 'UnableToLocateList');

export const ResolveBody = z
  .discriminatedUnion('resolution', [
    z.strictObject({
      resolution: z.literal('found'),
      locationCode: LocationCodeInput.openapi({
        description: 'Where the item is now: it is received (or moved) there',
      }),
      note: text(2000).optional(),
      occurredAt: OccurredAtSchema.optional(),
    }),
    z.strictObject({
      resolution: z.literal('written_off'),
      reason: text(2000).openapi({ example: 'Not found after a search of Room 2; inquiry 14/2026 opened' }),
      occurredAt: OccurredAtSchema.optional(),
    }),
  ])
  .openapi('ResolveUnableToLocate');

export const ResolveParams = EvidenceNoParams;

export const ResolvedSchema = z
  .object({
    evidenceNo: z.string(),
    printed: z.string(),
    resolution: z.enum(['found', 'written_off']),
    seq: z.number().int().openapi({ description: 'The audit_locate_resolved event' }),
    itemEventSeq: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The item event (received, moved or note)' }),
    itemStatus: z.string().nullable(),
    settles: z
      .array(z.string())
      .openapi({ description: 'The audits whose entries for this item it resolves' }),
  })
  .openapi('UnableToLocateResolved');
