import { listCases } from '../../modules/cases/cases.service';
import { AUTHORITY_KINDS, DISPOSITIONS } from '../../modules/disposal/disposal.enums';
import { listBatchItems, listEligible } from '../../modules/disposal/disposal.lists';
import { getDisposal, listDisposals } from '../../modules/disposal/disposal.service';
import { allows } from '../../modules/users/roles';
import { listUsers } from '../../modules/users/users.service';
import { categoryName, evLink } from '../format';
import { html, jsonScript } from '../html';
import type { MessageKey } from '../i18n';
import { hasApi, layout, statusChip } from '../layout';
import type { PageHandler } from '../web.router';

const chip = (i: Parameters<PageHandler>[1]['i'], kind: string, value: string) =>
  html`<span class="chip d-${value}">${i.t(`${kind}.${value}` as MessageKey)}</span>`;

/** Disposals: the backlog, every batch, and (for clerks and supervisors) a proposal form. */
export const disposalsPage: PageHandler = (_req, { i, session }, ctx) => {
  const role = session.user.role;
  const disposals = listDisposals(ctx.db, { limit: 200 }).items.reverse();
  const backlog = listEligible(ctx.db, { limit: 50 });
  const cases = listCases(ctx.db, { limit: 500 }).items;
  const f = (id: string, key: MessageKey, input: ReturnType<typeof html>) =>
    html`<div class="field"><label for="${id}">${i.t(key)}</label>${input}</div>`;
  const body = html`
${
  allows('disposal:propose', role)
    ? html`<details class="subform"><summary class="btn primary">${i.t('disp.propose')}</summary>
<form id="propose-form" class="grid-form" data-api="/api/v1/disposals" data-go="/disposals/">
  ${f('p-disposition', 'disp.disposition', html`<select id="p-disposition" name="disposition">${DISPOSITIONS.map((d) => html`<option value="${d}">${i.t(`disposition.${d}`)}</option>`)}</select>`)}
  ${f('p-kind', 'disp.authorityKind', html`<select id="p-kind" name="authority.kind">${AUTHORITY_KINDS.map((k) => html`<option value="${k}">${i.t(`authority.${k}`)}</option>`)}</select>`)}
  ${f('p-number', 'disp.authorityNumber', html`<input id="p-number" name="authority.number" required maxlength="100" placeholder="2-1187/2026">`)}
  ${f('p-date', 'disp.authorityDate', html`<input id="p-date" name="authority.date" type="date" required>`)}
  ${f('p-issuer', 'disp.issuer', html`<input id="p-issuer" name="authority.issuer" required maxlength="300">`)}
  ${f('p-case', 'disp.wholeCase', html`<select id="p-case" name="selection.caseId"><option value="">—</option>${cases.map((c) => html`<option value="${c.id}">${c.number}</option>`)}</select>`)}
  <div class="field wide">${html`<label for="p-items">${i.t('disp.items')}</label>`}<textarea id="p-items" name="items" data-kind="list" rows="3" class="mono" placeholder="EV2600000014&#10;EV-26-0000002-8"></textarea></div>
  ${f('p-note', 'disp.note', html`<input id="p-note" name="note" maxlength="2000">`)}
  <div class="field"><button class="btn primary" type="submit">${i.t('disp.proposeSubmit')}</button></div>
  <p class="form-msg" role="status" aria-live="polite"></p>
</form></details>`
    : ''
}
<section class="panel"><h2>${i.t('disp.batches')}</h2>
<div class="table-wrap"><table>
<thead><tr><th>${i.t('disp.batch')}</th><th>${i.t('item.status')}</th><th>${i.t('disp.disposition')}</th><th>${i.t('disp.authority')}</th><th class="num">${i.t('dash.items')}</th><th>${i.t('disp.proposedBy')}</th><th>${i.t('disp.proposedAt')}</th></tr></thead>
<tbody>${
    disposals.length === 0
      ? html`<tr><td colspan="7" class="muted">${i.t('disp.none')}</td></tr>`
      : disposals.map(
          (
            d,
          ) => html`<tr><td><a class="mono" href="/disposals/${d.id}">${d.id}</a></td><td>${chip(i, 'dispStatus', d.status)}</td><td>${i.t(`disposition.${d.disposition}` as MessageKey)}</td>
<td>${d.authority.number} · ${i.date(d.authority.date)} · ${d.authority.issuer}</td><td class="num">${i.number(d.counts.items)}</td><td>${d.proposedBy.name}</td><td>${i.dateTime(d.proposedAt)}</td></tr>`,
        )
  }</tbody></table></div></section>
<section class="panel"><h2>${i.t('disp.backlog')}</h2>
<div class="table-wrap"><table>
<thead><tr><th>${i.t('item.evidenceNo')}</th><th>${i.t('case.case')}</th><th>${i.t('item.category')}</th><th>${i.t('item.makeModel')}</th><th>${i.t('disp.reason')}</th><th>${i.t('disp.since')}</th></tr></thead>
<tbody>${
    backlog.items.length === 0
      ? html`<tr><td colspan="6" class="muted">${i.t('disp.noBacklog')}</td></tr>`
      : backlog.items.map(
          (
            e,
          ) => html`<tr><td>${evLink(e.evidenceNo)}</td><td><a href="/cases/${e.caseId}">${e.caseNumber}</a></td><td>${categoryName(i, e.category)}</td><td>${[e.make, e.model].filter(Boolean).join(' ') || '—'}</td>
<td>${i.t(`eligible.${e.reason}` as MessageKey)}</td><td>${i.dateTime(e.since)}</td></tr>`,
        )
  }</tbody></table></div>
${backlog.nextCursor ? html`<p class="muted">${i.t('disp.backlogMore')}</p>` : ''}
</section>`;
  return layout(i, session, { title: i.t('nav.disposals'), active: 'disposals', body, strings: ['disp.'] });
};

export const disposalPage: PageHandler = (req, { i, session }, ctx) => {
  const d = getDisposal(ctx.db, String(req.params.disposalId));
  const items = listBatchItems(ctx.db, d.id, { limit: 500 });
  const role = session.user.role;
  const mine = d.proposedBy.id === session.user.id;
  const canDecide = d.status === 'proposed' && allows('supervise', role) && !mine;
  const canCancel = d.status === 'proposed' && mine;
  const canScan = d.status === 'approved' && allows('write', role);
  const canComplete = d.status === 'approved' && allows('supervise', role);
  const certificate = d.status === 'completed' && hasApi('/disposals/:disposalId/certificate');
  const users = canComplete ? listUsers(ctx.db).filter((u) => !u.disabled && u.id !== session.user.id) : [];
  const row = (key: MessageKey, value: unknown) =>
    html`<tr><th scope="row">${i.t(key)}</th><td>${value === null || value === undefined || value === '' ? '—' : (value as string)}</td></tr>`;
  const api = `/api/v1/disposals/${d.id}`;
  const body = html`
<p class="lead">${i.t(`disposition.${d.disposition}` as MessageKey)} · ${chip(i, 'dispStatus', d.status)}</p>
<div class="grid2">
<section class="panel" id="disposal-summary"><h2>${i.t('disp.summary')}</h2><table class="kv">
  ${row('disp.authority', `${i.t(`authority.${d.authority.kind}` as MessageKey)} ${d.authority.number} · ${i.date(d.authority.date)} · ${d.authority.issuer}`)}
  ${row('disp.proposedBy', `${d.proposedBy.name} · ${i.dateTime(d.proposedAt)}`)}
  ${row('disp.decidedBy', d.decidedBy ? `${d.decidedBy.name} · ${i.dateTime(d.decidedAt)}${d.decisionReason ? ` · ${d.decisionReason}` : ''}` : null)}
  ${row('disp.completed', d.completedBy ? `${d.completedBy.name} · ${i.date(d.completedOn)}` : null)}
  ${row('disp.certificateNo', d.certificateNo)}
  ${row('disp.counts', i.t('disp.countsText', { items: d.counts.items, scanned: d.counts.scanned, missing: d.counts.missing }))}
</table></section>
<section class="panel" id="disposal-actions"><h2>${i.t('item.actions')}</h2>
${
  canDecide
    ? html`<div class="actions">
  <form class="inline-form" data-api="${api}/approve" data-reload="1"><button class="btn primary" type="submit" id="approve-btn">${i.t('disp.approve')}</button><span class="form-msg" role="status" aria-live="polite"></span></form>
</div>
<form class="inline-form" data-api="${api}/reject" data-reload="1"><label for="reject-reason">${i.t('disp.rejectReason')}</label><input id="reject-reason" name="reason" required maxlength="2000"><button class="btn" type="submit">${i.t('disp.reject')}</button><span class="form-msg" role="status" aria-live="polite"></span></form>`
    : ''
}
${d.status === 'proposed' && mine && allows('supervise', role) ? html`<p class="muted">${i.t('disp.notYours')}</p>` : ''}
${d.status === 'proposed' && !allows('supervise', role) && !mine ? html`<p class="muted">${i.t('disp.waiting')}</p>` : ''}
${canCancel ? html`<form class="inline-form" data-api="${api}/cancel" data-reload="1"><button class="btn" type="submit">${i.t('disp.cancel')}</button><span class="form-msg" role="status" aria-live="polite"></span></form>` : ''}
${
  canScan
    ? html`<form id="site-scan" class="inline-form" data-disposal="${d.id}" autocomplete="off"><label for="site-code">${i.t('disp.scanAtSite')}</label><input id="site-code" class="mono" name="code" required maxlength="40"><button class="btn" type="submit">${i.t('scan.enter')}</button></form>
<div id="scan-feedback" class="feedback" role="status" aria-live="assertive"></div>`
    : ''
}
${
  canComplete
    ? html`<details class="subform"><summary class="btn primary">${i.t('disp.complete')}</summary>
<form id="complete-form" class="grid-form" data-api="${api}/complete" data-reload="1">
  <div class="field"><label for="c-place">${i.t('disp.place')}</label><input id="c-place" name="place" required maxlength="300"></div>
  <div class="field"><label for="c-method">${i.t('disp.method')}</label><input id="c-method" name="method" required maxlength="200"></div>
  <div class="field"><label for="c-contractor">${i.t('disp.contractor')}</label><input id="c-contractor" name="contractor" maxlength="300"></div>
  <fieldset class="field wide"><legend>${i.t('disp.witnesses')}</legend>${users.map((u) => html`<label class="radio"><input type="checkbox" name="witnesses[]" data-wrap="user" value="${u.username}"> ${u.displayName}</label>`)}</fieldset>
  <div class="field"><label for="c-ext-name">${i.t('disp.extWitness')}</label><input id="c-ext-name" name="ext.name" maxlength="200"></div>
  <div class="field"><label for="c-ext-title">${i.t('disp.extTitle')}</label><input id="c-ext-title" name="ext.title" maxlength="200"></div>
  <div class="field"><label for="c-ext-agency">${i.t('disp.extAgency')}</label><input id="c-ext-agency" name="ext.agency" maxlength="300"></div>
  <div class="field"><button class="btn primary" type="submit">${i.t('disp.completeSubmit')}</button></div>
  <p class="form-msg" role="status" aria-live="polite"></p>
</form></details>`
    : ''
}
${certificate ? html`<p><a class="btn" href="${api}/certificate.pdf" download>${i.t('disp.certificate')}</a></p>` : ''}
${!canDecide && !canCancel && !canScan && !canComplete && !certificate ? html`<p class="muted" id="no-actions">${i.t('disp.noActions')}</p>` : ''}
</section>
</div>
<section class="panel"><h2>${i.t('disp.items')}</h2>
<div class="table-wrap"><table id="disposal-items">
<thead><tr><th>${i.t('item.evidenceNo')}</th><th>${i.t('item.category')}</th><th>${i.t('item.makeModel')}</th><th>${i.t('item.serial')}</th><th>${i.t('item.status')}</th><th>${i.t('disp.outcome')}</th></tr></thead>
<tbody>${items.items.map(
    (it) =>
      html`<tr data-ev="${it.evidenceNo}"${it.outcome === 'scanned' ? html` class="row-ok"` : ''}><td>${evLink(it.evidenceNo)}</td><td>${categoryName(i, it.category)}</td><td>${[it.make, it.model].filter(Boolean).join(' ') || '—'}</td><td class="mono">${it.serialNumber ?? '—'}</td><td>${statusChip(i, it.status)}</td><td>${chip(i, 'dispOutcome', it.outcome)}</td></tr>`,
  )}</tbody></table></div>
</section>
${jsonScript('disposal-data', { id: d.id })}`;
  return layout(i, session, {
    title: `${i.t('disp.batch')} ${d.id}`,
    active: 'disposals',
    body,
    scripts: ['disposal'],
    strings: ['disp.', 'scan.'],
  });
};
