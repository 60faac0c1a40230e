import type { Projector } from '../ledger/types';
import { auditsProjector } from './audits/audits.projector';
import { casesProjector } from './cases/cases.projector';
import { custodyProjector } from './custody/custody.projector';
import { disposalsProjector } from './disposal/disposal.projector';
import { documentsProjector } from './documents/documents.projector';
import { itemsProjector } from './items/items.projector';
import { labelsProjector } from './labels/labels.projector';
import { locationsProjector } from './locations/locations.projector';
import { partiesProjector } from './parties/parties.projector';
import { reportsProjector } from './reports/fingerprint';
import { seizuresProjector } from './seizures/seizures.projector';
import { credentialsVersionProjector } from './users/credentials.version';
import { usersProjector } from './users/users.projector';

/** Every projection, in the order they are applied to each event. */
export const projectors: readonly Projector[] = [
  usersProjector,
  credentialsVersionProjector,
  casesProjector,
  locationsProjector,
  partiesProjector,
  seizuresProjector,
  itemsProjector,
  labelsProjector,
  custodyProjector,
  documentsProjector,
  reportsProjector,
  disposalsProjector,
  auditsProjector,
];
