/** What an attached document may be, told by its bytes (never by its name or declared type alone). */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

export const DOCUMENT_KINDS = [
  'court_order',
  'destruction_photo',
  'seal_photo',
  'handover_receipt',
  'identity_document',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The largest document accepted (a multi-page scanned court order fits easily). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
