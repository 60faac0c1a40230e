import { IsoDateSchema, OccurredAtSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { DocumentRefs } from '../documents/documents.contract';
import { ITEM_STATUSES } from '../items/items.enums';
import { LocationCodeInput } from '../locations/locations.contract';
import { CUSTODY_EVENT_TYPES } from './state-machine';

export const VALUATION_METHODS = [
  'market_comparison',
  'expert_appraisal',
  'book_value',
  'auction_result',
] as const;
export type ValuationMethod = (typeof VALUATION_METHODS)[number];

export const SEAL_STATES = ['intact', 'broken'] as const;

/** The earliest valuation date taken: older dates are typing mistakes (0001, 1022 for 2022). */
export const EARLIEST_AS_OF = '1990-01-01';

/** The largest amount in minor units: integers above this lose precision in JSON readers. */
export const MAX_AMOUNT_MINOR = Number.MAX_SAFE_INTEGER;

const occurredAt = OccurredAtSchema.optional();
/** Attached documents the event cites (a receipt, a seal photo), uploaded first with POST /documents. */
const documents = DocumentRefs.optional();
const text = (max: number) => z.string().trim().min(1).max(max);
const sealNo = text(64).openapi({ example: 'KZ-SEAL-004211' });

export const ReceivedEvent = z
  .strictObject({
    type: z.literal('received'),
    locationCode: LocationCodeInput,
    condition: text(200).optional(),
    occurredAt,
    documents,
  })
  .openapi('ReceivedEvent', {
    description: 'Taken into the warehouse at a location; the receiving user becomes custodian.',
  });

export const MovedEvent = z
  .strictObject({
    type: z.literal('moved'),
    locationCode: LocationCodeInput,
    reason: text(500).optional(),
    occurredAt,
    documents,
  })
  .openapi('MovedEvent');

export const TransferredEvent = z
  .strictObject({
    type: z.literal('transferred'),
    custodian: text(100).openapi({
      description: 'The user who becomes custodian: user id or username; must exist and not be disabled.',
    }),
    reason: text(500).optional(),
    occurredAt,
    documents,
  })
  .openapi('TransferredEvent');

export const CheckedOutEvent = z
  .strictObject({
    type: z.literal('checked_out'),
    partyId: text(100).openapi({ description: 'The party that takes the item (GET /parties)' }),
    purpose: text(500).openapi({ example: 'Forensic examination of the hash boards' }),
    dueAt: z.iso.datetime({ offset: true }).openapi({
      description: 'When it must be back, RFC 3339 with offset; not in the past.',
      example: '2026-04-01T18:00:00+05:00',
    }),
    occurredAt,
    documents,
  })
  .openapi('CheckedOutEvent');

export const ReturnedEvent = z
  .strictObject({
    type: z.literal('returned'),
    locationCode: LocationCodeInput.openapi({ description: 'Where it is put on its return' }),
    condition: text(200).openapi({ example: 'good; one fan missing' }),
    seal: z.enum(SEAL_STATES),
    newSealNo: sealNo
      .optional()
      .openapi({ description: 'Required when the seal is broken (the item is resealed)' }),
    occurredAt,
    documents,
  })
  .refine((e) => e.seal === 'intact' || e.newSealNo !== undefined, {
    path: ['newSealNo'],
    message: 'a broken seal needs the new seal number',
  })
  .refine((e) => e.seal === 'broken' || e.newSealNo === undefined, {
    path: ['newSealNo'],
    message: 'a new seal number goes with a broken seal only',
  })
  .openapi('ReturnedEvent');

export const SealChangedEvent = z
  .strictObject({
    type: z.literal('seal_changed'),
    newSealNo: sealNo,
    reason: text(500),
    occurredAt,
    documents,
  })
  .openapi('SealChangedEvent');

export const ExaminedEvent = z
  .strictObject({
    type: z.literal('examined'),
    examiner: text(200).openapi({ description: 'Who examined it', example: 'Ермеков Н., forensic expert' }),
    findings: text(10_000),
    partyId: text(100).optional().openapi({ description: 'The lab or expert, when registered as a party' }),
    occurredAt,
    documents,
  })
  .openapi('ExaminedEvent');

export const ValuedEvent = z
  .strictObject({
    type: z.literal('valued'),
    amountMinor: z.number().int().min(0).max(MAX_AMOUNT_MINOR).openapi({
      description: 'Integer minor units (cents, tiyn); floats and strings are refused',
      example: 450000,
    }),
    currency: z.string().max(16).openapi({
      description: 'ISO 4217 code, three upper-case letters (USD, KZT, EUR …)',
      example: 'USD',
    }),
    method: z.enum(VALUATION_METHODS),
    appraiser: text(200),
    asOf: IsoDateSchema.refine((d) => d >= EARLIEST_AS_OF, {
      message: `asOf must be ${EARLIEST_AS_OF} or later`,
    }).openapi({
      description: `The date the value holds for: from ${EARLIEST_AS_OF}, and not after today (400 as_of_in_future): today in Kazakhstan time (UTC+5), or in the offset of occurredAt when that date is later`,
    }),
    occurredAt,
    documents,
  })
  .openapi('ValuedEvent');

export const NoteEvent = z
  .strictObject({ type: z.literal('note'), text: text(10_000), occurredAt, documents })
  .openapi('NoteEvent');

export const CorrectionEvent = z
  .strictObject({
    type: z.literal('correction'),
    corrects: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'The `seq` of the earlier event of this item it corrects' }),
    reason: text(2000),
    fields: z
      .record(z.string().min(1).max(64), z.unknown())
      .refine((f) => Object.keys(f).length > 0, 'name at least one corrected field')
      .openapi({ description: 'The corrected members of that event’s data, with their right values' }),
    occurredAt,
    documents,
  })
  .openapi('CorrectionEvent', {
    description: 'Supervisor only. Nothing is edited: the correction is a new event.',
  });

/** The members of `item_registered` a correction may set (the description of the item as seized). */
export const RegistrationCorrection = z
  .strictObject({
    make: text(200),
    model: text(200),
    serialNumber: text(200),
    quantity: z.number().int().min(1),
    unit: text(32),
    hashrateThs: z.number().min(0).nullable(),
    powerW: z.number().min(0).nullable(),
    sealNo: sealNo,
    condition: text(200),
    description: text(10_000),
  })
  .partial();

/** The body of POST /items/:evidenceNo/events: one discriminated union on `type`. */
export const CustodyEventBody = z
  .discriminatedUnion('type', [
    ReceivedEvent,
    MovedEvent,
    TransferredEvent,
    CheckedOutEvent,
    ReturnedEvent,
    SealChangedEvent,
    ExaminedEvent,
    ValuedEvent,
    NoteEvent,
    CorrectionEvent,
  ])
  .openapi('CustodyEvent');
export type CustodyEventInput = z.infer<typeof CustodyEventBody>;

export const CustodyEventTypeSchema = z.enum(CUSTODY_EVENT_TYPES);

export const CustodyStateSchema = z
  .object({
    evidenceNo: z.string(),
    status: z.enum(ITEM_STATUSES),
    locationCode: z.string().nullable(),
    custodianUserId: z.string().nullable(),
    holderPartyId: z.string().nullable(),
    checkoutPurpose: z.string().nullable(),
    dueAt: z.string().nullable().openapi({ description: 'UTC' }),
    sealNo: z.string().nullable(),
    condition: z.string().nullable(),
    valuation: z
      .object({ amountMinor: z.number().int(), currency: z.string(), asOf: z.string() })
      .nullable()
      .openapi({ description: 'The most recently recorded valuation' }),
    lastSeq: z.number().int(),
  })
  .openapi('CustodyState');

export const RecordedEventSchema = z
  .object({
    seq: z.number().int(),
    type: CustodyEventTypeSchema,
    ledgerType: z.string().openapi({ example: 'item_moved' }),
    occurredAt: z.string(),
    recordedAt: z.string(),
    item: CustodyStateSchema,
  })
  .openapi('RecordedEvent');

export const HistoryEntrySchema = z
  .object({
    seq: z.number().int(),
    type: z.string().openapi({ description: 'Item event type (`registered`, `moved` …)' }),
    ledgerType: z.string(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    actor: z.object({ id: z.string(), name: z.string() }),
    data: z.record(z.string(), z.unknown()),
    corrects: z.number().int().optional().openapi({ description: 'On a correction: the seq it corrects' }),
    correctedBy: z
      .array(z.number().int())
      .openapi({ description: 'Seqs of later corrections of this event' }),
  })
  .openapi('HistoryEntry');

export const HistorySchema = z
  .object({
    evidenceNo: z.string(),
    printed: z.string(),
    status: z.enum(ITEM_STATUSES),
    events: z.array(HistoryEntrySchema),
    nextCursor: z.string().nullable().openapi({ description: 'The next page of events, or null' }),
  })
  .openapi('ItemHistory');

export const MAX_BATCH = 5000;

export const BatchBody = z
  .strictObject({
    events: z
      .array(
        z.strictObject({
          evidenceNo: z.string().max(40),
          // Checked entry by entry by the service, so that a bad one is reported with its index.
          event: z.record(z.string(), z.unknown()).openapi({
            description: 'One custody event, exactly as for POST /items/{evidenceNo}/events',
            allOf: [{ $ref: '#/components/schemas/CustodyEvent' }],
          }),
        }),
      )
      .min(1)
      .max(MAX_BATCH),
  })
  .openapi('EventBatch', {
    description: `One scan session: up to ${MAX_BATCH} items, each with its event. All or none.`,
  });

export const BatchResultSchema = z
  .object({
    count: z.number().int(),
    firstSeq: z.number().int(),
    lastSeq: z.number().int(),
    items: z.array(
      z.object({ evidenceNo: z.string(), seq: z.number().int(), status: z.enum(ITEM_STATUSES) }),
    ),
  })
  .openapi('EventBatchResult');
