import { html, type SafeHtml } from './html';
import type { I18n, MessageKey } from './i18n';

/** `EV2600000014` → `EV-26-0000001-4`, for people. */
export const printedEv = (compact: string) =>
  `EV-${compact.slice(2, 4)}-${compact.slice(4, 11)}-${compact.slice(11)}`;

export const evLink = (compact: string): SafeHtml =>
  html`<a class="mono" href="/items/${compact}">${printedEv(compact)}</a>`;

export const categoryName = (i: I18n, c: string) => i.t(`category.${c}` as MessageKey);

/** kW with one decimal and MWh/day, in the locale's digits. */
export const kw = (i: I18n, n: number) => `${i.number(n, 1)} ${i.t('unit.kw')}`;
export const mwhDay = (i: I18n, kwValue: number) =>
  `${i.number((kwValue * 24) / 1000, 1)} ${i.t('unit.mwhDay')}`;

/** `pcs` (the default unit) in the reader's language; other units as entered. */
export const unitName = (i: I18n, unit: string) => (unit === 'pcs' ? i.t('unit.pcs') : unit);
