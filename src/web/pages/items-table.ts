import type { Request } from 'express';
import type { Db } from '../../db/open';
import { ItemListQuery } from '../../modules/items/items.contract';
import { ITEM_CATEGORIES, ITEM_STATUSES } from '../../modules/items/items.enums';
import { listItems } from '../../modules/items/items.service';
import { categoryName, evLink } from '../format';
import { html, type SafeHtml } from '../html';
import type { I18n } from '../i18n';
import { statusChip } from '../layout';

const PAGE = 50;

/**
 * The items table with search, filters and keyset paging, for the case and location pages. Paging
 * keeps a trail of the cursors seen, so "previous" is a link too and every page is a plain URL.
 */
export function itemsTable(
  req: Request,
  i: I18n,
  db: Db,
  now: Date,
  fixed: { caseId?: string; locationCode?: string; seizures?: { id: string; farmName: string }[] },
): SafeHtml {
  const raw = req.query as Record<string, string | undefined>;
  const parsed = ItemListQuery.safeParse({
    q: raw.q || undefined,
    status: raw.status || undefined,
    category: raw.category || undefined,
    seizureId: raw.seizureId || undefined,
    sort: raw.sort || undefined,
    cursor: raw.cursor || undefined,
    limit: String(PAGE),
  });
  const q = parsed.success ? parsed.data : ItemListQuery.parse({ limit: String(PAGE) });
  let page: ReturnType<typeof listItems>;
  let problem: string | null = parsed.success ? null : i.t('table.badFilter');
  try {
    page = listItems(
      db,
      {
        ...q,
        ...(fixed.caseId ? { caseId: fixed.caseId } : {}),
        ...(fixed.locationCode ? { locationCode: fixed.locationCode } : {}),
      },
      now,
    );
  } catch {
    problem = i.t('table.badFilter');
    page = listItems(
      db,
      {
        limit: PAGE,
        sort: 'registered',
        ...(fixed.caseId ? { caseId: fixed.caseId } : {}),
        ...(fixed.locationCode ? { locationCode: fixed.locationCode } : {}),
      },
      now,
    );
  }
  const trail = (raw.trail ?? '').split('.').filter(Boolean).slice(-200);
  const pageNo = trail.length + 1;
  const keep = new URLSearchParams();
  for (const k of ['q', 'status', 'category', 'seizureId', 'sort'] as const) if (raw[k]) keep.set(k, raw[k]!);
  const link = (cursor: string | null, newTrail: string[]) => {
    const u = new URLSearchParams(keep);
    if (cursor) u.set('cursor', cursor);
    if (newTrail.length) u.set('trail', newTrail.join('.'));
    return `?${u.toString()}#items`;
  };
  const current = raw.cursor ?? '';
  const nextHref = page.nextCursor ? link(page.nextCursor, [...trail, current || '0']) : null;
  const prevCursor = trail[trail.length - 1];
  const prevHref = trail.length
    ? link(prevCursor === '0' ? null : (prevCursor ?? null), trail.slice(0, -1))
    : null;
  const sel = (name: string, value: string) => (raw[name] === value ? html` selected` : '');
  return html`
<form class="filters" method="get" action="#items" role="search" aria-label="${i.t('table.filters')}">
  <div class="field grow"><label for="f-q">${i.t('table.search')}</label>
    <input id="f-q" name="q" type="search" value="${raw.q ?? ''}" placeholder="${i.t('table.searchHint')}" maxlength="200"></div>
  <div class="field"><label for="f-status">${i.t('item.status')}</label>
    <select id="f-status" name="status"><option value="">${i.t('table.any')}</option>${ITEM_STATUSES.map(
      (s) => html`<option value="${s}"${sel('status', s)}>${i.t(`status.${s}`)}</option>`,
    )}</select></div>
  <div class="field"><label for="f-category">${i.t('item.category')}</label>
    <select id="f-category" name="category"><option value="">${i.t('table.any')}</option>${ITEM_CATEGORIES.map(
      (c) => html`<option value="${c}"${sel('category', c)}>${categoryName(i, c)}</option>`,
    )}</select></div>
  ${
    fixed.seizures?.length
      ? html`<div class="field"><label for="f-seizure">${i.t('case.seizure')}</label>
    <select id="f-seizure" name="seizureId"><option value="">${i.t('table.any')}</option>${fixed.seizures.map(
      (s) => html`<option value="${s.id}"${sel('seizureId', s.id)}>${s.farmName}</option>`,
    )}</select></div>`
      : ''
  }
  <div class="field"><label for="f-sort">${i.t('table.sort')}</label>
    <select id="f-sort" name="sort">${(
      ['registered', '-registered', 'evidenceNo', '-evidenceNo', '-value', 'value'] as const
    ).map((s) => html`<option value="${s}"${sel('sort', s)}>${i.t(`sort.${s}`)}</option>`)}</select></div>
  <div class="field"><button class="btn" type="submit">${i.t('table.apply')}</button></div>
</form>
${problem ? html`<p class="msg error" role="alert">${problem}</p>` : ''}
<div class="table-wrap" id="items">
<table class="items">
  <caption class="sr-only">${i.t('case.items')}</caption>
  <thead><tr><th>${i.t('item.evidenceNo')}</th><th>${i.t('item.category')}</th><th>${i.t('item.makeModel')}</th><th>${i.t('item.serial')}</th><th class="num">${i.t('item.qty')}</th><th>${i.t('item.status')}</th><th>${i.t('item.location')}</th><th class="num">${i.t('item.value')}</th></tr></thead>
  <tbody>${
    page.items.length === 0
      ? html`<tr><td colspan="8" class="muted">${i.t('table.empty')}</td></tr>`
      : page.items.map(
          (it) => html`<tr>
    <td>${evLink(it.evidenceNo)}</td><td>${categoryName(i, it.category)}</td>
    <td>${[it.make, it.model].filter(Boolean).join(' ') || '—'}</td><td class="mono">${it.serialNumber ?? '—'}</td>
    <td class="num">${i.number(it.quantity)}${it.unit !== 'pcs' ? ` ${it.unit}` : ''}</td><td>${statusChip(i, it.status)}</td>
    <td>${it.location ? html`<a href="/locations/${it.location.code}">${it.location.path}</a>` : (it.holder?.name ?? '—')}</td>
    <td class="num">${it.valuation ? i.money(it.valuation.amountMinor, it.valuation.currency) : '—'}</td></tr>`,
        )
  }</tbody>
</table>
</div>
<nav class="pager" aria-label="${i.t('table.pages')}">
  ${prevHref ? html`<a class="btn" href="${prevHref}" rel="prev">← ${i.t('table.prev')}</a>` : html`<span class="btn disabled" aria-disabled="true">← ${i.t('table.prev')}</span>`}
  <span>${i.t('table.page', { n: pageNo })}</span>
  ${nextHref ? html`<a class="btn" href="${nextHref}" rel="next">${i.t('table.next')} →</a>` : html`<span class="btn disabled" aria-disabled="true">${i.t('table.next')} →</span>`}
</nav>`;
}
