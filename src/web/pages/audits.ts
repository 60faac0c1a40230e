import { listUnableToLocate } from '../../modules/audits/audits.locate';
import { listAudits, showAudit } from '../../modules/audits/audits.service';
import { listCases } from '../../modules/cases/cases.service';
import { listLocations } from '../../modules/locations/locations.service';
import { allows } from '../../modules/users/roles';
import { categoryName, evLink } from '../format';
import { html, jsonScript, type SafeHtml } from '../html';
import type { I18n, MessageKey } from '../i18n';
import { hasApi, layout } from '../layout';
import type { PageHandler } from '../web.router';

const place = (p: { path: string } | null) => (p ? p.path : '—');

/** Audits: start one on a shelf, room or case; the list; the unable-to-locate queue. */
export const auditsPage: PageHandler = (_req, { i, session }, ctx) => {
  const role = session.user.role;
  const audits = listAudits(ctx.db, { limit: 200 }).items.reverse();
  const queue = listUnableToLocate(ctx.db, { limit: 100, status: 'open' }, ctx.clock());
  const locations = allows('audit', role) ? listLocations(ctx.db, { limit: 500 }).items : [];
  const cases = allows('audit', role) ? listCases(ctx.db, { limit: 500 }).items : [];
  const body = html`
${
  allows('audit', role)
    ? html`<details class="subform"><summary class="btn primary">${i.t('audit.start')}</summary>
<form id="audit-form" class="grid-form" data-api="/api/v1/audits" data-go="/audits/">
  <div class="field"><label for="a-location">${i.t('audit.location')}</label><select id="a-location" name="locationCode"><option value="">—</option>${locations.map((l) => html`<option value="${l.code}">${l.path}</option>`)}</select></div>
  <div class="field"><label for="a-case">${i.t('audit.orCase')}</label><select id="a-case" name="caseId"><option value="">—</option>${cases.map((c) => html`<option value="${c.id}">${c.number}</option>`)}</select></div>
  <div class="field"><label for="a-title">${i.t('audit.title')}</label><input id="a-title" name="title" maxlength="200"></div>
  <div class="field"><button class="btn primary" type="submit">${i.t('audit.startSubmit')}</button></div>
  <p class="form-msg" role="status" aria-live="polite"></p>
</form></details>`
    : ''
}
<section class="panel"><h2>${i.t('audit.list')}</h2>
<div class="table-wrap"><table>
<thead><tr><th>${i.t('audit.audit')}</th><th>${i.t('item.status')}</th><th>${i.t('audit.scope')}</th><th class="num">${i.t('audit.expected')}</th><th>${i.t('audit.startedBy')}</th><th>${i.t('audit.startedAt')}</th><th>${i.t('audit.closedAt')}</th></tr></thead>
<tbody>${
    audits.length === 0
      ? html`<tr><td colspan="7" class="muted">${i.t('audit.none')}</td></tr>`
      : audits.map(
          (
            a,
          ) => html`<tr><td><a href="/audits/${a.id}">${a.title ?? a.id}</a></td><td><span class="chip a-${a.status}">${i.t(`auditStatus.${a.status}` as MessageKey)}</span></td>
<td>${a.location ? a.location.path : i.t('audit.caseScope')}</td><td class="num">${i.number(a.expectedAtStart)}</td><td>${a.startedBy.name}</td><td>${i.dateTime(a.startedAt)}</td><td>${a.closedAt ? i.dateTime(a.closedAt) : '—'}</td></tr>`,
        )
  }</tbody></table></div></section>
<section class="panel" id="unable-to-locate"><h2>${i.t('audit.queue')}</h2>
${
  queue.items.length === 0
    ? html`<p class="muted">${i.t('audit.queueEmpty')}</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>${i.t('item.evidenceNo')}</th><th>${i.t('item.makeModel')}</th><th>${i.t('audit.lastLocation')}</th><th>${i.t('audit.reported')}</th><th>${i.t('audit.resolveBy')}</th>${allows('supervise', role) ? html`<th>${i.t('audit.resolve')}</th>` : ''}</tr></thead><tbody>${queue.items.map(
        (
          q,
        ) => html`<tr><td>${evLink(q.evidenceNo)}</td><td>${q.item ? [q.item.make, q.item.model].filter(Boolean).join(' ') : '—'}</td><td>${place(q.lastLocation)}</td><td>${i.dateTime(q.reportedAt)}</td><td class="${q.overdue ? 'bad' : ''}">${i.dateTime(q.dueAt)}</td>
${
  allows('supervise', role)
    ? html`<td><form class="inline-form" data-api="/api/v1/audits/unable-to-locate/${q.evidenceNo}/resolve" data-reload="1">
  <input type="hidden" name="resolution" value="found"><label class="sr-only" for="found-${q.evidenceNo}">${i.t('audit.foundAt')}</label>
  <input id="found-${q.evidenceNo}" name="locationCode" class="mono" required placeholder="${i.t('audit.foundAt')}" maxlength="20" list="audit-locations"><button class="btn" type="submit">${i.t('audit.found')}</button><span class="form-msg" role="status" aria-live="polite"></span></form>
  <form class="inline-form" data-api="/api/v1/audits/unable-to-locate/${q.evidenceNo}/resolve" data-reload="1">
  <input type="hidden" name="resolution" value="written_off"><label class="sr-only" for="off-${q.evidenceNo}">${i.t('audit.writeOffReason')}</label>
  <input id="off-${q.evidenceNo}" name="reason" required maxlength="2000" placeholder="${i.t('audit.writeOffReason')}"><button class="btn" type="submit">${i.t('audit.writeOff')}</button><span class="form-msg" role="status" aria-live="polite"></span></form></td>`
    : ''
}</tr>`,
      )}</tbody></table></div>`
}
<datalist id="audit-locations">${locations.map((l) => html`<option value="${l.code}">${l.path}</option>`)}</datalist>
</section>`;
  return layout(i, session, { title: i.t('nav.audits'), active: 'audits', body, strings: ['audit.'] });
};

function discrepancyTable(
  i: I18n,
  kind: string,
  rows: ReturnType<typeof showAudit>['discrepancies']['missing'],
): SafeHtml {
  return html`<section class="panel disc disc-${kind}" id="disc-${kind}"><h2>${i.t(`audit.${kind}` as MessageKey)} <span class="count">${rows.length}</span></h2>
${
  rows.length === 0
    ? html`<p class="muted">${i.t('audit.noneOfKind')}</p>`
    : html`<table class="compact"><thead><tr><th>${i.t('item.evidenceNo')}</th><th>${i.t('item.category')}</th><th>${i.t('item.makeModel')}</th><th>${i.t('audit.expectedAt')}</th><th>${i.t('audit.foundAtCol')}</th></tr></thead><tbody>${rows.map(
        (r) =>
          html`<tr><td>${evLink(r.evidenceNo)}</td><td>${r.item ? categoryName(i, r.item.category) : '—'}</td><td>${r.item ? [r.item.make, r.item.model].filter(Boolean).join(' ') : '—'}</td><td>${place(r.expectedLocation)}</td><td>${place(r.foundLocation)}</td></tr>`,
      )}</tbody></table>`
}</section>`;
}

export const auditPage: PageHandler = (req, { i, session }, ctx) => {
  const a = showAudit(ctx.db, String(req.params.id));
  const open = a.status === 'open';
  const canScan = open && allows('audit', session.user.role);
  const report = hasApi('/audits/:id/report');
  const c = a.counts;
  const tile = (key: MessageKey, n: number, tone = '') =>
    html`<div class="tile ${tone}"><div class="tile-label">${i.t(key)}</div><div class="tile-value" data-count="${key}">${i.number(n)}</div></div>`;
  const body = html`
<p class="lead">${a.location ? a.location.path : i.t('audit.caseScope')} · <span class="chip a-${a.status}">${i.t(`auditStatus.${a.status}` as MessageKey)}</span>
${a.certification ? html` · <strong>${i.t(`audit.cert.${a.certification}` as MessageKey)}</strong>` : ''}</p>
<section class="tiles" id="audit-counts">
  ${tile('audit.expected', c.expected)}${tile('audit.foundCount', c.found)}${tile('audit.notYet', c.notYetScanned)}
  ${tile('audit.missing', c.missing, c.missing ? 'warn' : '')}${tile('audit.misplaced', c.misplaced, c.misplaced ? 'attn' : '')}${tile('audit.unexpected', c.unexpected, c.unexpected ? 'attn' : '')}
</section>
${
  canScan
    ? html`<section class="panel"><form id="audit-scan" autocomplete="off">
  <label for="audit-input" class="big-label">${i.t('audit.scanPrompt')}</label>
  <div class="scan-row"><input id="audit-input" class="scan-input mono" maxlength="40" autocomplete="off" spellcheck="false" autofocus>
  <button class="btn" type="submit">${i.t('scan.enter')}</button></div>
</form>
<div id="scan-feedback" class="feedback" role="status" aria-live="assertive"></div>
<div class="actions" style="margin-top:.8rem"><form class="inline-form" data-api="/api/v1/audits/${a.id}/close" data-reload="1"><button class="btn primary" type="submit" id="close-audit">${i.t('audit.close')}</button><span class="form-msg" role="status" aria-live="polite"></span></form></div>
</section>`
    : ''
}
${
  report && !open
    ? html`<p class="actions"><a class="btn primary" data-testid="audit-report" href="/api/v1/audits/${a.id}/report.pdf" download="audit-${a.id}.pdf">${i.t('audit.report')}</a></p>`
    : report
      ? html`<p class="muted" data-testid="audit-report-later">${i.t('audit.reportAfterClose')}</p>`
      : ''
}
<div class="grid3">
${discrepancyTable(i, 'missing', a.discrepancies.missing)}
${discrepancyTable(i, 'misplaced', a.discrepancies.misplaced)}
${discrepancyTable(i, 'unexpected', a.discrepancies.unexpected)}
</div>
<div id="audit-unscanned">${a.unscannedLocations.length ? html`<section class="panel"><h2>${i.t('audit.unscannedLocations')}</h2><ul>${a.unscannedLocations.map((p) => html`<li>${p.path}</li>`)}</ul></section>` : ''}</div>
${jsonScript('audit-data', { id: a.id })}`;
  return layout(i, session, {
    title: a.title ?? i.t('audit.audit'),
    active: 'audits',
    body,
    scripts: canScan ? ['audit'] : [],
    strings: ['audit.', 'scan.'],
  });
};
