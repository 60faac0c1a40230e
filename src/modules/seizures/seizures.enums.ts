export const LEGAL_GROUNDS = ['illegal_grid_connection', 'tax_evasion', 'customs_evasion', 'other'] as const;
export type LegalGround = (typeof LEGAL_GROUNDS)[number];

/** How the site ended (DOMAIN.md: 55 ceased voluntarily, 51 terminated). */
export const SITE_OUTCOMES = ['ceased_voluntarily', 'terminated'] as const;
export type SiteOutcome = (typeof SITE_OUTCOMES)[number];
