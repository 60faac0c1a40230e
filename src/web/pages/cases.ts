import { prepared } from '../../db/statements';
import { getCase, listCases } from '../../modules/cases/cases.service';
import { caseSummary } from '../../modules/cases/cases.summary';
import { seizuresOfCase } from '../../modules/seizures/seizures.service';
import { allows } from '../../modules/users/roles';
import { categoryName, kw, mwhDay } from '../format';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { hasApi, layout } from '../layout';
import type { PageHandler } from '../web.router';
import { itemsTable } from './items-table';

export const casesPage: PageHandler = (_req, { i, session }, ctx) => {
  const cases = listCases(ctx.db, { limit: 500 }).items;
  const counts = new Map(
    (
      prepared(ctx.db, 'SELECT case_id AS id, count(*) AS n FROM items GROUP BY case_id').all() as {
        id: string;
        n: number;
      }[]
    ).map((r) => [r.id, r.n]),
  );
  const body = html`
${allows('write', session.user.role) ? html`<p class="actions"><a class="btn primary" href="/intake">${i.t('intake.newCase')}</a></p>` : ''}
<div class="table-wrap"><table>
<thead><tr><th>${i.t('case.number')}</th><th>${i.t('case.titleCol')}</th><th>${i.t('case.agency')}</th><th>${i.t('case.opened')}</th><th>${i.t('case.status')}</th><th class="num">${i.t('case.itemCount')}</th></tr></thead>
<tbody>${
    cases.length === 0
      ? html`<tr><td colspan="6" class="muted">${i.t('case.none')}</td></tr>`
      : cases.map(
          (c) =>
            html`<tr><td><a href="/cases/${c.id}">${c.number}</a></td><td>${c.title}</td><td>${c.agency}</td><td>${i.date(c.openedOn)}</td><td><span class="chip">${i.t(`caseStatus.${c.status}` as MessageKey)}</span></td><td class="num">${i.number(counts.get(c.id) ?? 0)}</td></tr>`,
        )
  }</tbody></table></div>`;
  return layout(i, session, { title: i.t('nav.cases'), active: 'cases', body });
};

export const casePage: PageHandler = (req, { i, session }, ctx) => {
  const c = getCase(ctx.db, String(req.params.caseId));
  const s = caseSummary(ctx.db, c.id);
  const seizures = seizuresOfCase(ctx.db, c.id);
  const reportHref = hasApi('/cases/:caseId/report')
    ? `/api/v1/cases/${encodeURIComponent(c.id)}/report.pdf`
    : null;
  const labels = hasApi('/labels/items');
  const cats = Object.entries(s.byCategory).filter(([, n]) => n > 0);
  const statuses = Object.entries(s.byStatus).filter(([, n]) => n > 0);
  const body = html`
<p class="lead">${c.title} · ${c.agency} · ${c.legalBasis}</p>
<p class="actions">
  ${reportHref ? html`<a class="btn" href="${reportHref}" download>${i.t('case.report')}</a>` : ''}
  ${labels ? html`<a class="btn" href="/labels?caseId=${encodeURIComponent(c.id)}">${i.t('case.labels')}</a>` : ''}
  ${allows('write', session.user.role) ? html`<a class="btn" href="/intake?caseId=${encodeURIComponent(c.id)}">${i.t('intake.addItems')}</a>` : ''}
</p>
<section class="tiles">
  <div class="tile"><div class="tile-label">${i.t('dash.items')}</div><div class="tile-value">${i.number(s.itemCount)}</div><div class="tile-sub">${i.t('case.seizureCount', { n: s.seizureCount })}</div></div>
  <div class="tile"><div class="tile-label">${i.t('dash.value')}</div><div class="tile-value">${s.valuation.length ? s.valuation.map((v) => i.moneyWhole(v.totalMinor, v.currency)).join(' · ') : '—'}</div></div>
  <div class="tile"><div class="tile-label">${i.t('dash.powerRemoved')}</div><div class="tile-value">${kw(i, s.ratedPowerKw)}</div><div class="tile-sub">${mwhDay(i, s.ratedPowerKw)}</div></div>
  <div class="tile"><div class="tile-label">${i.t('case.status')}</div><div class="tile-value small">${i.t(`caseStatus.${c.status}` as MessageKey)}</div><div class="tile-sub">${i.t('case.opened')} ${i.date(c.openedOn)}</div></div>
</section>
<div class="grid2">
  <section class="panel"><h2>${i.t('dash.byCategory')}</h2><table class="compact">${cats.map(([k, n]) => html`<tr><td>${categoryName(i, k)}</td><td class="num">${i.number(n)}</td></tr>`)}</table></section>
  <section class="panel"><h2>${i.t('dash.byStatus')}</h2><table class="compact">${statuses.map(([k, n]) => html`<tr><td>${i.t(`status.${k}` as MessageKey)}</td><td class="num">${i.number(n)}</td></tr>`)}</table></section>
</div>
<section class="panel"><h2>${i.t('case.seizures')}</h2>
<div class="table-wrap"><table>
<thead><tr><th>${i.t('seizure.farm')}</th><th>${i.t('dash.region')}</th><th>${i.t('seizure.seizedAt')}</th><th>${i.t('seizure.outcome')}</th><th class="num">${i.t('dash.items')}</th><th class="num">${i.t('dash.ratedKw')}</th><th class="num">${i.t('dash.estimatedKw')}</th>${labels ? html`<th></th>` : ''}</tr></thead>
<tbody>${s.seizures.map(
    (z) =>
      html`<tr><td>${z.farmName}</td><td>${z.region}</td><td>${i.dateTime(z.seizedAt)}</td><td>${i.t(`outcome.${z.outcome}` as MessageKey)}</td><td class="num">${i.number(z.itemCount)}</td><td class="num">${i.number(z.ratedPowerKw, 1)}</td><td class="num">${z.estimatedLoadKw === null ? '—' : i.number(z.estimatedLoadKw, 1)}</td>${
        labels
          ? html`<td><a href="/labels?seizureId=${encodeURIComponent(z.seizureId)}">${i.t('case.labels')}</a></td>`
          : ''
      }</tr>`,
  )}</tbody></table></div>
</section>
<section class="panel"><h2>${i.t('case.items')}</h2>
${itemsTable(req, i, ctx.db, ctx.clock(), { caseId: c.id, seizures: seizures.map((z) => ({ id: z.id, farmName: z.farmName })) })}
</section>`;
  return layout(i, session, { title: `${i.t('case.case')} ${c.number}`, active: 'cases', body });
};
