import { BooleanQuery, EvidenceNoInput, OccurredAtSchema, PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { ITEM_CATEGORIES, ITEM_STATUSES } from './items.enums';

/** Field limits shared by the JSON schemas and the CSV reader. */
export const ITEM_LIMITS = {
  text: 200,
  sealNo: 100,
  unit: 20,
  condition: 500,
  description: 4000,
  quantity: 1_000_000_000,
  hashrateThs: 1_000_000,
  powerW: 10_000_000,
} as const;

/** Rows one import may hold; one more is refused (too_many_rows). */
export const IMPORT_MAX_ROWS = 100_000;

export const ItemCategorySchema = z.enum(ITEM_CATEGORIES);
export const ItemStatusSchema = z.enum(ITEM_STATUSES);

/** An evidence number as typed or scanned: either form, any case (checked by the service). */
const optText = (max: number) => z.string().trim().max(max).nullish();

/** The fields of one item, as POST /items and the JSON form of the import take them. */
export const ItemFields = z.strictObject({
  category: ItemCategorySchema,
  make: optText(ITEM_LIMITS.text).openapi({ example: 'Bitmain' }),
  model: optText(ITEM_LIMITS.text).openapi({ example: 'Antminer S19 Pro' }),
  serialNumber: optText(ITEM_LIMITS.text).openapi({ example: 'HTX2104A0012345' }),
  quantity: z
    .number()
    .int('quantity must be a whole number')
    .min(1, 'quantity must be 1 or more')
    .max(ITEM_LIMITS.quantity)
    .default(1)
    .openapi({ description: 'How many; above 1 for a counted lot (e.g. cables).' }),
  unit: z.string().trim().min(1).max(ITEM_LIMITS.unit).default('pcs').openapi({ example: 'pcs' }),
  hashrateThs: z.number().finite().min(0).max(ITEM_LIMITS.hashrateThs).nullish().openapi({ example: 110 }),
  powerW: z.number().finite().min(0).max(ITEM_LIMITS.powerW).nullish().openapi({
    description: 'Rated power draw of one unit, W.',
    example: 3250,
  }),
  sealNo: optText(ITEM_LIMITS.sealNo).openapi({ example: 'KZ-FMA 0041277' }),
  condition: optText(ITEM_LIMITS.condition).openapi({ example: 'used, working' }),
  description: optText(ITEM_LIMITS.description),
  parentEvidenceNo: EvidenceNoInput.nullish().openapi({
    description: 'The container item this one was seized in (same case; category container).',
  }),
  duplicateSerialOk: z.boolean().optional().openapi({
    description:
      'Accept a serial number already registered in the case for the same make and model (e.g. a relabelled unit).',
  }),
});

const RegisteredAt = OccurredAtSchema.openapi({
  description:
    'When the item was registered (typically at the seizure), RFC 3339 with offset. Defaults to now; never in the future.',
});

export const RegisterItemBody = ItemFields.extend({
  caseId: z.string().min(1).max(100),
  seizureId: z.string().min(1).max(100),
  occurredAt: RegisteredAt.optional(),
}).openapi('RegisterItem');

export const ImportQuery = z.object({
  caseId: z.string().min(1).max(100),
  seizureId: z.string().min(1).max(100),
  occurredAt: RegisteredAt.optional(),
  dryRun: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .openapi({ description: '`true`: check every row and answer 200 with the count, writing nothing' }),
});

/** A zod schema as plain JSON Schema, for an OpenAPI member the generator cannot derive. */
function jsonSchemaOf(schema: z.ZodType): unknown {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

/**
 * The import body: `text/csv` arrives as a Buffer (decoded and parsed by the service), JSON as an
 * array whose rows are checked one by one so every bad row can be reported.
 */
export const ImportBody = z
  .union([z.array(z.unknown()), z.custom<Buffer>((v) => Buffer.isBuffer(v))])
  .openapi({ type: 'array', items: jsonSchemaOf(ItemFields) as Record<string, unknown> });

const LocationRef = z.object({ code: z.string(), printed: z.string(), path: z.string() });

export const ItemSchema = z
  .object({
    evidenceNo: z
      .string()
      .openapi({ description: 'Compact form, as barcodes encode it', example: 'EV2600671238' }),
    printed: z.string().openapi({ example: 'EV-26-0067123-8' }),
    caseId: z.string(),
    seizureId: z.string(),
    category: ItemCategorySchema,
    make: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    quantity: z.number().int(),
    unit: z.string(),
    hashrateThs: z.number().nullable(),
    powerW: z.number().nullable(),
    sealNo: z.string().nullable(),
    condition: z.string().nullable(),
    description: z.string().nullable(),
    parentEvidenceNo: z.string().nullable(),
    status: ItemStatusSchema,
    location: LocationRef.nullable(),
    custodian: z.object({ id: z.string(), displayName: z.string().nullable() }).nullable(),
    holder: z.object({ id: z.string(), kind: z.string().nullable(), name: z.string().nullable() }).nullable(),
    checkout: z
      .object({ purpose: z.string().nullable(), dueAt: z.string().nullable(), overdue: z.boolean() })
      .nullable(),
    valuation: z
      .object({ amountMinor: z.number().int(), currency: z.string(), asOf: z.string().nullable() })
      .nullable(),
    registeredSeq: z.number().int(),
    lastSeq: z.number().int(),
  })
  .openapi('Item');

export const ITEM_SORTS = [
  'registered',
  '-registered',
  'evidenceNo',
  '-evidenceNo',
  'value',
  '-value',
] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];

export const ItemListQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional().openapi({
    description:
      'Evidence number (either form, or its start: EV-26-00671), serial number (exact or start), or words (each by its start, any case) of make, model, serial number, seal number and description',
  }),
  caseId: z.string().max(100).optional(),
  seizureId: z.string().max(100).optional(),
  category: ItemCategorySchema.optional(),
  status: ItemStatusSchema.optional(),
  locationCode: z.string().trim().max(40).optional().openapi({
    description: 'Items at this location or anywhere inside it (either form of the code)',
  }),
  custodian: z.string().max(100).optional().openapi({ description: 'Custodian: user id or username' }),
  holder: z.string().max(100).optional().openapi({ description: 'Holding party id' }),
  checkedOut: BooleanQuery.optional(),
  overdue: BooleanQuery.optional().openapi({ description: 'true: checked out and past its due date' }),
  labelPrinted: BooleanQuery.optional().openapi({
    description: 'false: items never on a label print job (true: printed at least once)',
  }),
  sort: z.enum(ITEM_SORTS).default('registered').openapi({
    description:
      'registered (default, oldest first), evidenceNo, or value (latest valuation); "-" for descending',
  }),
});

export const ItemListSchema = pageSchema(ItemSchema, 'ItemList');

export const RowErrorSchema = z
  .object({
    line: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'CSV: the line in the file (the header is line 1)' }),
    index: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'JSON: the row’s index in the array (from 0)' }),
    column: z.string().nullable(),
    message: z.string(),
  })
  .openapi('ImportRowError');

export const ImportResultSchema = z
  .object({
    importId: z.string(),
    caseId: z.string(),
    seizureId: z.string(),
    count: z.number().int(),
    first: z.string().nullable(),
    last: z.string().nullable(),
    evidenceNos: z.array(z.string()).openapi({ description: 'Compact evidence numbers, in row order' }),
  })
  .openapi('ImportResult');
