import type { Projector } from '../ledger/types';
import { casesProjector } from './cases/cases.projector';
import { usersProjector } from './users/users.projector';

/** Every projection, in the order they are applied to each event. */
export const projectors: readonly Projector[] = [usersProjector, casesProjector];
