/** warehouse › room › shelf › bin: each kind's parent is the kind before it. */
export const LOCATION_KINDS = ['warehouse', 'room', 'shelf', 'bin'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
