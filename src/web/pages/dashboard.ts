import type { AppContext } from '../../context';
import { listAudits, showAudit } from '../../modules/audits/audits.service';
import { dashboard } from '../dashboard.queries';
import { evLink, kw, mwhDay } from '../format';
import { html, jsonScript } from '../html';
import type { I18n, MessageKey } from '../i18n';
import { hasApi, layout } from '../layout';
import type { PageHandler } from '../web.router';

/** The latest closed audit's findings, when there is one. */
function lastAudit(i: I18n, ctx: AppContext) {
  if (!hasApi('/audits')) return '';
  const closed = listAudits(ctx.db, { limit: 500, status: 'closed' }).items;
  const last = closed[closed.length - 1];
  if (!last)
    return html`<section class="panel"><h2>${i.t('dash.lastAudit')}</h2><p class="muted">${i.t('audit.none')}</p></section>`;
  const a = showAudit(ctx.db, last.id);
  return html`<section class="panel" id="last-audit"><h2>${i.t('dash.lastAudit')}: <a href="/audits/${a.id}">${a.title ?? a.location?.path ?? a.id}</a></h2>
<p>${i.dateTime(a.closedAt)} · ${a.certification ? i.t(`audit.cert.${a.certification}` as MessageKey) : ''}</p>
<table class="compact"><tr><td>${i.t('audit.expected')}</td><td class="num">${i.number(a.counts.expected)}</td></tr>
<tr><td>${i.t('audit.foundCount')}</td><td class="num">${i.number(a.counts.found)}</td></tr>
<tr><td>${i.t('audit.missing')}</td><td class="num ${a.counts.missing ? 'bad' : ''}">${i.number(a.counts.missing)}</td></tr>
<tr><td>${i.t('audit.misplaced')}</td><td class="num">${i.number(a.counts.misplaced)}</td></tr>
<tr><td>${i.t('audit.unexpected')}</td><td class="num">${i.number(a.counts.unexpected)}</td></tr></table></section>`;
}

/**
 * The locale's digit-group and decimal separators, from the server's full ICU: a browser may lack
 * a locale's number data (Chromium formats kk-KZ as "2,500"), so the charts format with these.
 */
function separatorsOf(locale: string): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    group: parts.find((p) => p.type === 'group')?.value ?? ' ',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? ',',
  };
}

export const dashboardPage: PageHandler = (_req, { i, session }, ctx) => {
  const now = ctx.clock();
  const d = dashboard(ctx.db, now);
  const ratedKw = d.regions.reduce((s, r) => s + r.ratedKw, 0);
  const estimatedKw = d.regions.reduce((s, r) => s + r.estimatedKw, 0);
  const tile = (label: string, value: string, sub?: string, tone = '') =>
    html`<div class="tile ${tone}"><div class="tile-label">${label}</div><div class="tile-value">${value}</div>${sub ? html`<div class="tile-sub">${sub}</div>` : ''}</div>`;
  const charts = {
    status: d.byStatus.map((s) => ({ key: s.key, label: i.t(`status.${s.key}` as MessageKey), n: s.n })),
    category: d.byCategory.map((c) => ({ label: i.t(`category.${c.key}` as MessageKey), n: c.n })),
    regions: d.regions.map((r) => ({ label: r.region, rated: r.ratedKw, estimated: r.estimatedKw })),
    labels: { rated: i.t('dash.ratedKw'), estimated: i.t('dash.estimatedKw'), items: i.t('dash.items') },
    locale: i.locale,
    separators: separatorsOf(i.locale),
  };
  const body = html`
<section class="tiles" aria-label="${i.t('dash.summary')}">
  ${tile(i.t('dash.items'), i.number(d.itemCount), i.t('dash.inCases', { n: i.number(d.cases) }))}
  ${tile(
    i.t('dash.value'),
    d.values.length ? d.values.map((v) => i.moneyWhole(v.totalMinor, v.currency)).join(' · ') : '—',
    d.values.length
      ? i.t('dash.valuedItems', { n: i.number(d.values.reduce((s, v) => s + v.items, 0)) })
      : i.t('dash.noValuations'),
  )}
  ${tile(i.t('dash.powerRemoved'), kw(i, ratedKw), `${mwhDay(i, ratedKw)} · ${i.t('dash.estimated')} ${kw(i, estimatedKw)}`)}
  ${tile(
    i.t('dash.checkedOut'),
    i.number(d.checkouts.out),
    i.t('dash.dueOverdue', { due: i.number(d.checkouts.dueSoon), overdue: i.number(d.checkouts.overdue) }),
    d.checkouts.overdue > 0 ? 'warn' : '',
  )}
  ${tile(i.t('dash.disposalBacklog'), i.number(d.disposalAuthorised), i.t('dash.disposalSub'), d.disposalAuthorised > 0 ? 'attn' : '')}
</section>
<div class="grid2">
  <section class="panel"><h2>${i.t('dash.byStatus')}</h2><div class="chart"><canvas id="chart-status" role="img" aria-label="${i.t('dash.byStatus')}"></canvas></div>
    <table class="compact">${d.byStatus.map((s) => html`<tr><td>${i.t(`status.${s.key}` as MessageKey)}</td><td class="num">${i.number(s.n)}</td></tr>`)}</table></section>
  <section class="panel"><h2>${i.t('dash.byCategory')}</h2><div class="chart"><canvas id="chart-category" role="img" aria-label="${i.t('dash.byCategory')}"></canvas></div></section>
</div>
<section class="panel"><h2>${i.t('dash.byRegion')}</h2>
  <div class="chart wide"><canvas id="chart-regions" role="img" aria-label="${i.t('dash.byRegion')}"></canvas></div>
  <table><thead><tr><th>${i.t('dash.region')}</th><th class="num">${i.t('dash.seizures')}</th><th class="num">${i.t('dash.ratedKw')}</th><th class="num">${i.t('unit.mwhDay')}</th><th class="num">${i.t('dash.estimatedKw')}</th></tr></thead>
  <tbody>${d.regions.map(
    (r) =>
      html`<tr><td>${r.region}</td><td class="num">${i.number(r.seizures)}</td><td class="num">${i.number(r.ratedKw, 1)}</td><td class="num">${i.number((r.ratedKw * 24) / 1000, 1)}</td><td class="num">${i.number(r.estimatedKw, 1)}</td></tr>`,
  )}</tbody></table>
</section>
<section class="panel"><h2>${i.t('dash.overdue')}</h2>
  ${
    d.overdueItems.length === 0
      ? html`<p class="muted">${i.t('dash.noneOverdue')}</p>`
      : html`<table><thead><tr><th>${i.t('item.evidenceNo')}</th><th>${i.t('item.holder')}</th><th>${i.t('item.purpose')}</th><th>${i.t('item.dueAt')}</th></tr></thead><tbody>${d.overdueItems.map(
          (o) =>
            html`<tr><td>${evLink(o.evidenceNo)}</td><td>${o.holder ?? '—'}</td><td>${o.purpose ?? '—'}</td><td class="bad">${i.dateTime(o.dueAt)}</td></tr>`,
        )}</tbody></table>`
  }
</section>
${lastAudit(i, ctx)}
${jsonScript('dash-data', charts)}`;
  return layout(i, session, {
    title: i.t('nav.dashboard'),
    active: 'dashboard',
    body,
    scripts: ['dashboard'],
  });
};
