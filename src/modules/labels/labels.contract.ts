import { BooleanQuery, queryInteger } from '../../lib/contract';
import { z } from '../../lib/zod';
import { LABEL_FORMATS, THERMAL_FORMATS } from './labels.formats';

const flag = BooleanQuery;

/** A string, not an enum: an unknown format is answered with unknown_label_format and the valid list. */
const formatParam = (list: readonly string[]) =>
  z
    .string()
    .max(40)
    .default('4x2')
    .openapi({ description: `The medium: ${list.join(', ')}` });

const selectors = {
  items: z.string().max(40_000).optional().openapi({
    description: 'Evidence numbers, either form, separated by commas (or spaces); for long lists use POST',
    example: 'EV2600671238,EV-26-0000001-4',
  }),
  caseId: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: "Every item of this case (the server's id)" }),
  seizureId: z.string().max(100).optional().openapi({ description: 'Every item of this seizure' }),
  locationCode: z.string().max(40).optional().openapi({
    description: 'Every item at this location or anywhere inside it (either form of the code)',
  }),
};

const common = {
  copies: queryInteger({ min: 1, max: 10, example: 2, description: 'Labels per item, 1–10' }).default(1),
  skipMissing: flag.optional().openapi({
    description:
      'true: print without the unknown or disposed items (named in `X-Labels-Skipped`) instead of refusing the job',
  }),
};

export const ItemLabelsQuery = z.object({
  ...selectors,
  format: formatParam(LABEL_FORMATS),
  ...common,
  // No maximum here: a start= beyond the sheet is answered with start_beyond_sheet and the sheet's size.
  start: queryInteger({
    min: 1,
    example: 1,
    description: 'Sheets only: the position (1 = top left, row by row) of the first label on the first sheet',
  }).default(1),
  outline: flag.optional().openapi({ description: 'true: also draw each label’s outline (a test print)' }),
});

/** A long list in a JSON body; strict: a misspelt member (`copise`) is refused, not printed without. */
const listBody = {
  // An empty list is answered with empty_selection, as an empty items= is.
  items: z.array(z.string().max(40)).max(200_000).openapi({ description: 'Up to 100,000 evidence numbers' }),
  copies: z.number().int().min(1).max(10).default(1),
  skipMissing: z.boolean().default(false),
};

export const ItemLabelsBody = z
  .strictObject({
    ...listBody,
    format: z.string().max(40).default('4x2'),
    start: z.number().int().min(1).default(1),
    outline: z.boolean().default(false),
  })
  .openapi('ItemLabelsRequest');

const dpi = z
  .enum(['203', '300'])
  .default('203')
  .transform(Number)
  .openapi({ description: 'The print head: 203 or 300 dpi' });

const zplFont = z
  .string()
  .regex(/^[A-Z]:[A-Z0-9_]{1,16}\.(FNT|TTF)$/, {
    error:
      'expected a font the printer holds, such as E:TT0003M_.FNT (drive letter, colon, name in capitals, .FNT or .TTF)',
  })
  .optional()
  .openapi({
    description:
      'A Unicode font the printer holds (e.g. E:TT0003M_.FNT, or one you downloaded): all text is printed with it through ^A@ instead of graphic fields',
  });

export const ZplLabelsQuery = z.object({
  ...selectors,
  format: formatParam(THERMAL_FORMATS),
  ...common,
  dpi,
  zplFont,
});

export const ZplLabelsBody = z
  .strictObject({
    ...listBody,
    format: z.string().max(40).default('4x2'),
    dpi: z.union([z.literal(203), z.literal(300)]).default(203),
    zplFont,
  })
  .openapi('ZplLabelsRequest');

export const LocationLabelsQuery = z.object({
  codes: z
    .string()
    .max(20_000)
    .optional()
    .openapi({ description: 'Location codes, either form, comma-separated' }),
  under: z.string().max(40).optional().openapi({ description: 'This location and every location inside it' }),
  format: formatParam(LABEL_FORMATS),
  copies: common.copies,
  start: ItemLabelsQuery.shape.start,
  outline: ItemLabelsQuery.shape.outline,
});

export const BarcodeQuery = z.object({
  symbology: z.enum(['code128', 'datamatrix', 'qrcode']).default('code128'),
});

export const LabelPreviewQuery = z.object({
  format: formatParam(LABEL_FORMATS),
});
