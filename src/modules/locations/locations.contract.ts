import { PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { ItemSchema } from '../items/items.contract';
import { LOCATION_KINDS } from './locations.enums';

export const LocationKindSchema = z
  .enum(LOCATION_KINDS)
  .openapi({ description: 'warehouse › room › shelf › bin; a child’s kind is below its parent’s.' });

/** A location code as typed or scanned: either form, any case (checked by the service). */
export const LocationCodeInput = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .openapi({ description: 'Location code, compact or printed, any case', example: 'LC00000013' });

export const CreateLocationBody = z
  .strictObject({
    kind: LocationKindSchema,
    name: z.string().trim().min(1).max(200).openapi({ example: 'Shelf B' }),
    parentCode: LocationCodeInput.optional().openapi({
      description: 'The location it is in; required for everything but a warehouse.',
    }),
  })
  .openapi('CreateLocation');

export const LocationSchema = z
  .object({
    code: z.string().openapi({ description: 'Compact form, as barcodes encode it', example: 'LC00000013' }),
    printed: z.string().openapi({ example: 'LC-0000001-3' }),
    kind: LocationKindSchema,
    name: z.string(),
    parentCode: z.string().nullable(),
    path: z.string().openapi({ example: 'Ekibastuz WH-1 › Room 2 › Shelf B' }),
    createdSeq: z.number().int(),
  })
  .openapi('Location');

export const LocationListSchema = pageSchema(LocationSchema, 'LocationList');

export const LocationListQuery = PageQuery.extend({
  kind: LocationKindSchema.optional(),
  parentCode: LocationCodeInput.optional().openapi({ description: 'Only the children of this location' }),
});

export const LocationDetailSchema = LocationSchema.extend({
  ancestors: z
    .array(LocationSchema.pick({ code: true, kind: true, name: true }))
    .openapi({ description: 'From the warehouse down to the parent' }),
  children: z.array(LocationSchema),
  items: pageSchema(ItemSchema, 'LocationItemPage').openapi({
    description: 'What is stored here now, at this location or inside it, oldest registration first',
  }),
}).openapi('LocationDetail');

export const LocationCodeParams = z.object({ code: z.string().min(1).max(40) });
export const LocationDetailQuery = PageQuery;
