import { SEAL_STATES, VALUATION_METHODS } from '../../modules/custody/custody.contract';
import { itemHistory } from '../../modules/custody/history.service';
import {
  allowedTypes,
  CUSTODY_EVENT_TYPES,
  type CustodyEventType,
} from '../../modules/custody/state-machine';
import { getItem } from '../../modules/items/items.service';
import { listLocations } from '../../modules/locations/locations.service';
import { listParties } from '../../modules/parties/parties.service';
import { allows, type Role } from '../../modules/users/roles';
import { listUsers } from '../../modules/users/users.service';
import { categoryName, evLink, unitName } from '../format';
import { html, jsonScript, type SafeHtml } from '../html';
import type { I18n, MessageKey } from '../i18n';
import { hasApi, layout, statusChip } from '../layout';
import type { PageHandler } from '../web.router';

/** The custody events a role may post in a status: the state machine's row, less what the role may not. */
export function actionsFor(status: Parameters<typeof allowedTypes>[0], role: Role): CustodyEventType[] {
  if (!allows('write', role)) return [];
  const allowed = new Set<string>(allowedTypes(status));
  return CUSTODY_EVENT_TYPES.filter(
    (t) => allowed.has(t) && (t !== 'correction' || allows('supervise', role)),
  );
}

const CURRENCY_CHOICES = ['KZT', 'USD', 'EUR', 'RUB'];

function field(i: I18n, id: string, key: MessageKey, input: SafeHtml): SafeHtml {
  return html`<div class="field"><label for="${id}">${i.t(key)}</label>${input}</div>`;
}

function eventForm(i: I18n, type: CustodyEventType, ev: string, opts: Opts): SafeHtml {
  const id = (n: string) => `${type}-${n}`;
  const text = (n: string, key: MessageKey, required = true, placeholder = '') =>
    field(
      i,
      id(n),
      key,
      html`<input id="${id(n)}" name="${n}"${required ? html` required` : ''} maxlength="500"${placeholder ? html` placeholder="${placeholder}"` : ''}>`,
    );
  const location = (required = true) =>
    field(
      i,
      id('locationCode'),
      'item.location',
      html`<input id="${id('locationCode')}" name="locationCode" list="location-codes" class="mono" autocomplete="off" placeholder="LC-0000001-3"${required ? html` required` : ''} maxlength="20">`,
    );
  const fields: Record<CustodyEventType, () => SafeHtml> = {
    received: () => html`${location()}${text('condition', 'item.condition', false)}`,
    moved: () => html`${location()}${text('reason', 'item.reason', false)}`,
    transferred: () =>
      html`${field(i, id('custodian'), 'item.newCustodian', html`<select id="${id('custodian')}" name="custodian" required><option value=""></option>${opts.custodians.map((u) => html`<option value="${u.username}">${u.displayName} (${u.username})</option>`)}</select>`)}${text('reason', 'item.reason', false)}`,
    checked_out: () =>
      html`${field(i, id('partyId'), 'item.party', html`<select id="${id('partyId')}" name="partyId" required><option value=""></option>${opts.parties.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select>`)}
      ${text('purpose', 'item.purpose')}
      ${field(i, id('dueAt'), 'item.dueAtLocal', html`<input id="${id('dueAt')}" name="dueAt" type="datetime-local" required data-kind="datetime">`)}`,
    returned: () =>
      html`${location()}${text('condition', 'item.condition')}
      ${field(i, id('seal'), 'item.seal', html`<select id="${id('seal')}" name="seal" required>${SEAL_STATES.map((s) => html`<option value="${s}">${i.t(`seal.${s}`)}</option>`)}</select>`)}
      ${text('newSealNo', 'item.newSealNo', false)}`,
    seal_changed: () => html`${text('newSealNo', 'item.newSealNo')}${text('reason', 'item.reason')}`,
    examined: () =>
      html`${text('examiner', 'item.examiner')}${field(i, id('findings'), 'item.findings', html`<textarea id="${id('findings')}" name="findings" required maxlength="10000" rows="3"></textarea>`)}`,
    valued: () =>
      html`${field(i, id('amount'), 'item.amount', html`<input id="${id('amount')}" name="amountMinor" required inputmode="decimal" data-kind="money" pattern="[0-9 ]+([.,][0-9]{1,2})?">`)}
      ${field(i, id('currency'), 'item.currency', html`<select id="${id('currency')}" name="currency">${CURRENCY_CHOICES.map((c) => html`<option>${c}</option>`)}</select>`)}
      ${field(i, id('method'), 'item.method', html`<select id="${id('method')}" name="method">${VALUATION_METHODS.map((m) => html`<option value="${m}">${i.t(`method.${m}`)}</option>`)}</select>`)}
      ${text('appraiser', 'item.appraiser')}
      ${field(i, id('asOf'), 'item.asOf', html`<input id="${id('asOf')}" name="asOf" type="date" required>`)}`,
    note: () =>
      field(
        i,
        id('text'),
        'item.noteText',
        html`<textarea id="${id('text')}" name="text" required maxlength="10000" rows="3"></textarea>`,
      ),
    correction: () =>
      html`${field(i, id('corrects'), 'item.corrects', html`<select id="${id('corrects')}" name="corrects" required data-kind="int">${opts.seqs.map((s) => html`<option value="${s.seq}">#${s.seq} ${s.label}</option>`)}</select>`)}
      ${text('field', 'item.correctField', true, 'serialNumber')}${text('value', 'item.correctValue')}${text('reason', 'item.reason')}`,
  };
  return html`<details class="action" data-type="${type}">
  <summary class="btn">${i.t(`event.${type}` as MessageKey)}</summary>
  <form class="event-form stack-inline" data-event="${type}" data-ev="${ev}" novalidate>
    ${fields[type]()}
    <div class="field"><button type="submit" class="btn primary">${i.t('item.record')}</button></div>
    <p class="form-msg" role="status" aria-live="polite"></p>
  </form>
</details>`;
}

interface Opts {
  parties: { id: string; name: string }[];
  custodians: { username: string; displayName: string }[];
  seqs: { seq: number; label: string }[];
}

/** Members that are ids or bookkeeping, not facts a reader needs on the timeline. */
const HIDDEN = new Set(['importId', 'caseId', 'seizureId', 'sessionId', 'corrects', 'duplicateSerialOk']);

/** A history entry's data as a short line: its known members, labelled. */
function describe(i: I18n, data: Record<string, unknown>, names: Map<string, string>): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === null || v === undefined || typeof v === 'object' || HIDDEN.has(k)) continue;
    const key = `field.${k}` as MessageKey;
    const label = i.t(key) === key ? k : i.t(key);
    let value = String(v);
    if (k === 'amountMinor' && typeof data.currency === 'string') value = i.money(Number(v), data.currency);
    else if (k === 'currency' && 'amountMinor' in data) continue;
    else if ((k === 'dueAt' || k === 'seizedAt') && typeof v === 'string') value = i.dateTime(v);
    else if (k === 'asOf' && typeof v === 'string') value = i.date(v);
    else if (k === 'locationCode') value = names.get(String(v)) ?? value;
    else if (k === 'unit') value = unitName(i, String(v));
    else if (typeof v === 'number') value = i.number(v, 3);
    else if (k === 'partyId' || k === 'custodianUserId' || k === 'custodian')
      value = names.get(String(v)) ?? value;
    else if (k === 'category') value = categoryName(i, String(v));
    else if (k === 'method') value = i.t(`method.${v}` as MessageKey);
    else if (k === 'seal') value = i.t(`seal.${v}` as MessageKey);
    out.push(`${label}: ${value}`);
  }
  return out.join(' · ');
}

export const itemPage: PageHandler = (req, { i, session }, ctx) => {
  const now = ctx.clock();
  const item = getItem(ctx.db, String(req.params.evidenceNo), now);
  const history = itemHistory(ctx.db, item.evidenceNo);
  const role = session.user.role;
  const actions = actionsFor(item.status, role);
  const parties = actions.includes('checked_out')
    ? listParties(ctx.db, { limit: 500 }).items.map((p) => ({ id: p.id, name: p.name }))
    : [];
  const custodians = actions.includes('transferred')
    ? listUsers(ctx.db)
        .filter((u) => !u.disabled && allows('write', u.role))
        .map((u) => ({ username: u.username, displayName: u.displayName }))
    : [];
  const seqs = history.events.map((e) => ({ seq: e.seq, label: i.t(`event.${e.type}` as MessageKey) }));
  const locations = actions.some((a) => ['received', 'moved', 'returned'].includes(a))
    ? listLocations(ctx.db, { limit: 500 }).items
    : [];
  const names = new Map<string, string>(parties.map((p) => [p.id, p.name]));
  for (const l of listLocations(ctx.db, { limit: 500 }).items) names.set(l.code, l.path);
  for (const e of history.events) names.set(e.actor.id, e.actor.name);
  const valuations = history.events.filter((e) => e.type === 'valued');
  const reportHref = hasApi('/items/:evidenceNo/custody-report')
    ? `/api/v1/items/${item.evidenceNo}/custody-report.pdf`
    : null;
  const labelHref = hasApi('/items/:evidenceNo/label') ? `/labels?items=${item.evidenceNo}` : null;
  const row = (key: MessageKey, value: SafeHtml | string | null | undefined) =>
    html`<tr><th scope="row">${i.t(key)}</th><td>${value === null || value === undefined || value === '' ? '—' : value}</td></tr>`;
  const body = html`
<p class="lead">${categoryName(i, item.category)} · ${[item.make, item.model].filter(Boolean).join(' ') || '—'} ${statusChip(i, item.status)}</p>
<p class="actions">
  <a class="btn" href="/cases/${item.caseId}">${i.t('item.toCase')}</a>
  ${reportHref ? html`<a class="btn" href="${reportHref}" download data-testid="custody-report">${i.t('item.custodyReport')}</a>` : ''}
  ${labelHref ? html`<a class="btn" href="${labelHref}" id="item-label">${i.t('item.label')}</a>` : ''}
</p>
<div class="grid2">
<section class="panel"><h2>${i.t('item.details')}</h2><table class="kv">
  ${row('item.evidenceNo', html`<span class="mono">${item.printed}</span>`)}
  ${row('item.serial', item.serialNumber)}
  ${row('item.qty', `${i.number(item.quantity)} ${unitName(i, item.unit)}`)}
  ${row('item.hashrate', item.hashrateThs === null ? null : `${i.number(item.hashrateThs, 2)} ${i.t('unit.ths')}`)}
  ${row('item.power', item.powerW === null ? null : `${i.number(item.powerW)} ${i.t('unit.w')}`)}
  ${row('item.sealNo', item.sealNo)}
  ${row('item.condition', item.condition)}
  ${row('item.description', item.description)}
  ${row('item.parent', item.parentEvidenceNo ? evLink(item.parentEvidenceNo) : null)}
</table></section>
<section class="panel"><h2>${i.t('item.state')}</h2><table class="kv">
  ${row('item.status', statusChip(i, item.status))}
  ${row('item.location', item.location ? html`<a href="/locations/${item.location.code}">${item.location.path}</a> <span class="mono muted">${item.location.printed}</span>` : null)}
  ${row('item.custodian', item.custodian?.displayName ?? null)}
  ${row('item.holder', item.holder?.name ?? null)}
  ${item.checkout ? row('item.purpose', item.checkout.purpose) : ''}
  ${item.checkout ? row('item.dueAt', html`<span class="${item.checkout.overdue ? 'bad' : ''}">${i.dateTime(item.checkout.dueAt)}${item.checkout.overdue ? ` · ${i.t('item.overdue')}` : ''}</span>`) : ''}
  ${row('item.value', item.valuation ? `${i.money(item.valuation.amountMinor, item.valuation.currency)} (${i.date(item.valuation.asOf)})` : null)}
</table></section>
</div>
${
  actions.length
    ? html`<section class="panel" id="actions"><h2>${i.t('item.actions')}</h2><div class="action-list">${actions.map((t) => eventForm(i, t, item.evidenceNo, { parties, custodians, seqs }))}</div>
<datalist id="location-codes">${locations.map((l) => html`<option value="${l.code}">${l.path}</option>`)}</datalist></section>`
    : html`<p class="muted" id="no-actions">${allows('write', role) ? i.t('item.noActionsState') : i.t('item.readOnly')}</p>`
}
<section class="panel"><h2>${i.t('item.valuations')}</h2>
${
  valuations.length === 0
    ? html`<p class="muted">${i.t('item.noValuations')}</p>`
    : html`<table><thead><tr><th>${i.t('item.asOf')}</th><th class="num">${i.t('item.amount')}</th><th>${i.t('item.method')}</th><th>${i.t('item.appraiser')}</th><th>${i.t('item.recordedBy')}</th></tr></thead><tbody>${valuations.map(
        (v) =>
          html`<tr><td>${i.date(String(v.data.asOf ?? ''))}</td><td class="num">${i.money(Number(v.data.amountMinor), String(v.data.currency))}</td><td>${i.t(`method.${v.data.method}` as MessageKey)}</td><td>${String(v.data.appraiser ?? '')}</td><td>${v.actor.name}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section class="panel"><h2>${i.t('item.timeline')}</h2>
<ol class="timeline">${[...history.events].reverse().map(
    (e) => html`<li class="${e.correctedBy.length ? 'corrected' : ''}" id="seq-${e.seq}">
    <div class="when">${i.dateTime(e.occurredAt)}</div>
    <div class="what"><strong>${i.t(`event.${e.type}` as MessageKey)}</strong> <span class="muted">#${e.seq} · ${e.actor.name}</span>
    ${e.corrects ? html` <a href="#seq-${e.corrects}">${i.t('item.correctsSeq', { seq: e.corrects })}</a>` : ''}
    ${e.correctedBy.length ? html` <span class="chip s-missing">${i.t('item.correctedBy', { seqs: e.correctedBy.map((s) => `#${s}`).join(', ') })}</span>` : ''}
    <div class="data">${describe(i, e.data, names)}</div></div>
  </li>`,
  )}</ol>
</section>
${jsonScript('item-data', { evidenceNo: item.evidenceNo, lastSeq: item.lastSeq, status: item.status })}`;
  return layout(i, session, { title: item.printed, active: 'cases', body, scripts: ['item'] });
};
