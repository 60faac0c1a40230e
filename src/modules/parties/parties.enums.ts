export const PARTY_KINDS = ['court', 'forensic_lab', 'expert', 'owner', 'agency', 'other'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
