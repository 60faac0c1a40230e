import { parseEvidenceNo } from '../../lib/codes';
import { listItems } from '../../modules/items/items.service';
import { LABEL_FORMATS, THERMAL_FORMATS } from '../../modules/labels/labels.formats';
import { listLocations } from '../../modules/locations/locations.service';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { layout } from '../layout';
import type { PageHandler } from '../web.router';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Labels: pick items (a list, a case, a seizure or a location) and a medium, see a preview, download PDF or ZPL. */
export const labelsPage: PageHandler = (req, { i, session }, ctx) => {
  const q = req.query as Record<string, unknown>;
  const items = str(q.items);
  const caseId = str(q.caseId);
  const seizureId = str(q.seizureId);
  const locationCode = str(q.locationCode);
  const format = (LABEL_FORMATS as readonly string[]).includes(str(q.format)) ? str(q.format) : '4x2';
  const copies = /^([1-9]|10)$/.test(str(q.copies)) ? str(q.copies) : '1';
  const params = new URLSearchParams({ format, copies });
  if (items)
    params.set(
      'items',
      items
        .split(/[\s,;]+/)
        .filter(Boolean)
        .join(','),
    );
  else if (seizureId) params.set('seizureId', seizureId);
  else if (caseId) params.set('caseId', caseId);
  else if (locationCode) params.set('locationCode', locationCode);
  const chosen =
    params.has('items') || params.has('caseId') || params.has('seizureId') || params.has('locationCode');
  let preview: string[] = [];
  let problem: string | null = null;
  if (chosen) {
    try {
      if (items)
        preview = items
          .split(/[\s,;]+/)
          .filter(Boolean)
          .slice(0, 3)
          .map((e) => parseEvidenceNo(e).compact);
      else
        preview = listItems(ctx.db, {
          limit: 3,
          sort: 'registered',
          ...(seizureId ? { seizureId } : caseId ? { caseId } : { locationCode }),
        }).items.map((it) => it.evidenceNo);
    } catch {
      problem = i.t('labels.badSelection');
    }
  }
  const thermal = (THERMAL_FORMATS as readonly string[]).includes(format);
  const locations = listLocations(ctx.db, { limit: 500 }).items;
  const body = html`
<div class="grid2">
<section class="panel"><h2>${i.t('labels.items')}</h2>
<form method="get" action="/labels" class="stack wide-stack">
  ${caseId ? html`<input type="hidden" name="caseId" value="${caseId}">` : ''}
  ${seizureId ? html`<input type="hidden" name="seizureId" value="${seizureId}">` : ''}
  ${locationCode ? html`<input type="hidden" name="locationCode" value="${locationCode}">` : ''}
  ${
    caseId || seizureId || locationCode
      ? html`<p class="msg info">${i.t(seizureId ? 'labels.forSeizure' : caseId ? 'labels.forCase' : 'labels.forLocation')}</p>`
      : html`<label for="l-items">${i.t('labels.list')}</label>
  <textarea id="l-items" name="items" rows="4" class="mono" placeholder="EV2600000014, EV-26-0000002-8">${items}</textarea>`
  }
  <label for="l-format">${i.t('labels.format')}</label>
  <select id="l-format" name="format">${LABEL_FORMATS.map((f) => html`<option value="${f}"${f === format ? html` selected` : ''}>${i.t(`labelFormat.${f}` as MessageKey)}</option>`)}</select>
  <label for="l-copies">${i.t('labels.copies')}</label>
  <input id="l-copies" name="copies" type="number" min="1" max="10" value="${copies}">
  <button class="btn" type="submit">${i.t('labels.preview')}</button>
</form>
${problem ? html`<p class="msg error" role="alert">${problem}</p>` : ''}
${
  chosen && !problem
    ? html`<p class="actions">
  <a class="btn primary" id="labels-pdf" href="/api/v1/labels/items.pdf?${params.toString()}" target="_blank">${i.t('labels.pdf')}</a>
  ${thermal ? html`<a class="btn" id="labels-zpl" href="/api/v1/labels/items.zpl?${params.toString()}" download>${i.t('labels.zpl')}</a>` : ''}
</p>`
    : ''
}
</section>
<section class="panel"><h2>${i.t('labels.previewTitle')}</h2>
${
  preview.length
    ? html`<div class="label-previews">${preview.map((ev) => html`<img class="label-preview" src="/api/v1/items/${ev}/label.png?format=${format}" alt="${i.t('labels.previewOf', { ev })}">`)}</div>`
    : html`<p class="muted">${i.t('labels.nothing')}</p>`
}
</section>
</div>
<section class="panel"><h2>${i.t('labels.locations')}</h2>
<form method="get" action="/api/v1/labels/locations.pdf" target="_blank" class="filters">
  <div class="field grow"><label for="l-under">${i.t('labels.under')}</label><select id="l-under" name="under">${locations.map((l) => html`<option value="${l.code}">${l.path}</option>`)}</select></div>
  <div class="field"><label for="l-lformat">${i.t('labels.format')}</label><select id="l-lformat" name="format">${LABEL_FORMATS.map((f) => html`<option value="${f}">${i.t(`labelFormat.${f}` as MessageKey)}</option>`)}</select></div>
  <div class="field"><button class="btn" type="submit">${i.t('labels.pdf')}</button></div>
</form>
</section>`;
  return layout(i, session, { title: i.t('nav.labels'), active: 'labels', body });
};
