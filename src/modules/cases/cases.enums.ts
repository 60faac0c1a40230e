export const CASE_STATUSES = ['open', 'in_court', 'suspended', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
