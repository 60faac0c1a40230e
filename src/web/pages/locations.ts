import { prepared } from '../../db/statements';
import { LOCATION_KINDS } from '../../modules/locations/locations.enums';
import { getLocation, listLocations } from '../../modules/locations/locations.service';
import { allows } from '../../modules/users/roles';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { hasApi, layout } from '../layout';
import type { PageHandler } from '../web.router';
import { itemsTable } from './items-table';

export const locationsPage: PageHandler = (_req, { i, session }, ctx) => {
  const all = listLocations(ctx.db, { limit: 500 }).items;
  const counts = new Map(
    (
      prepared(
        ctx.db,
        'SELECT location_code AS code, count(*) AS n FROM items WHERE location_code IS NOT NULL GROUP BY location_code',
      ).all() as {
        code: string;
        n: number;
      }[]
    ).map((r) => [r.code, r.n]),
  );
  const labels = hasApi('/labels/locations');
  const body = html`
${
  allows('write', session.user.role)
    ? html`<details class="subform"><summary class="btn primary">${i.t('loc.new')}</summary>
  <form id="location-form" class="grid-form" data-api="/api/v1/locations">
    <div class="field"><label for="l-kind">${i.t('loc.kind')}</label><select id="l-kind" name="kind">${LOCATION_KINDS.map((k) => html`<option value="${k}">${i.t(`loc.kind.${k}` as MessageKey)}</option>`)}</select></div>
    <div class="field"><label for="l-name">${i.t('loc.name')}</label><input id="l-name" name="name" required maxlength="200"></div>
    <div class="field"><label for="l-parent">${i.t('loc.parent')}</label><select id="l-parent" name="parentCode"><option value="">—</option>${all.map((l) => html`<option value="${l.code}">${l.path}</option>`)}</select></div>
    <div class="field"><button class="btn primary" type="submit">${i.t('loc.create')}</button></div>
    <p class="form-msg" role="status" aria-live="polite"></p>
  </form></details>`
    : ''
}
${labels ? html`<p class="actions"><a class="btn" href="/labels?locations=1">${i.t('loc.labels')}</a></p>` : ''}
<div class="table-wrap"><table>
<thead><tr><th>${i.t('loc.path')}</th><th>${i.t('loc.code')}</th><th>${i.t('loc.kind')}</th><th class="num">${i.t('loc.itemsHere')}</th></tr></thead>
<tbody>${
    all.length === 0
      ? html`<tr><td colspan="4" class="muted">${i.t('loc.none')}</td></tr>`
      : all.map(
          (l) =>
            html`<tr><td class="depth-${l.path.split(' › ').length}"><a href="/locations/${l.code}">${l.path}</a></td><td class="mono">${l.printed}</td><td>${i.t(`loc.kind.${l.kind}` as MessageKey)}</td><td class="num">${i.number(counts.get(l.code) ?? 0)}</td></tr>`,
        )
  }</tbody></table></div>`;
  return layout(i, session, { title: i.t('nav.locations'), active: 'locations', body });
};

export const locationPage: PageHandler = (req, { i, session }, ctx) => {
  const l = getLocation(ctx.db, String(req.params.code));
  const body = html`
<p class="lead"><span class="mono">${l.printed}</span> · ${i.t(`loc.kind.${l.kind}` as MessageKey)} · ${l.path}</p>
<section class="panel"><h2>${i.t('loc.itemsHere')}</h2>
${itemsTable(req, i, ctx.db, ctx.clock(), { locationCode: l.code })}
</section>`;
  return layout(i, session, { title: l.name, active: 'locations', body });
};
