import { AppError } from '../../lib/errors';
import { listCases } from '../../modules/cases/cases.service';
import { ITEM_CATEGORIES } from '../../modules/items/items.enums';
import { LABEL_FORMATS } from '../../modules/labels/labels.formats';
import { LEGAL_GROUNDS, SITE_OUTCOMES } from '../../modules/seizures/seizures.enums';
import { seizuresOfCase } from '../../modules/seizures/seizures.service';
import { allows } from '../../modules/users/roles';
import { categoryName } from '../format';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { hasApi, layout } from '../layout';
import type { PageHandler } from '../web.router';

/** Intake: choose or open the case and seizure, preview a CSV (a dry run, nothing written), import, print labels. */
export const intakePage: PageHandler = (req, { i, session }, ctx) => {
  if (!allows('write', session.user.role))
    throw new AppError('forbidden', 'intake needs the write permission');
  const cases = listCases(ctx.db, { limit: 500 }).items;
  const chosen = typeof req.query.caseId === 'string' ? req.query.caseId : '';
  const seizures = chosen && cases.some((c) => c.id === chosen) ? seizuresOfCase(ctx.db, chosen) : [];
  const f = (id: string, key: MessageKey, input: ReturnType<typeof html>) =>
    html`<div class="field"><label for="${id}">${i.t(key)}</label>${input}</div>`;
  const body = html`
<ol class="steps">
<li class="panel step" id="step-case">
  <h2><span class="step-no">1</span> ${i.t('intake.caseStep')}</h2>
  <div class="row">
    ${f('case-select', 'case.case', html`<select id="case-select"><option value="">${i.t('intake.chooseCase')}</option>${cases.map((c) => html`<option value="${c.id}"${c.id === chosen ? html` selected` : ''}>${c.number} — ${c.title}</option>`)}</select>`)}
    ${f('seizure-select', 'case.seizure', html`<select id="seizure-select"${chosen ? '' : html` disabled`}><option value="">${i.t('intake.chooseSeizure')}</option>${seizures.map((s) => html`<option value="${s.id}">${s.farmName} · ${s.region}</option>`)}</select>`)}
  </div>
  <div class="subforms">
  <details class="subform"><summary class="btn">${i.t('intake.newCase')}</summary>
    <form id="case-form" class="grid-form">
      ${f('c-number', 'case.number', html`<input id="c-number" name="number" required maxlength="64" placeholder="12/345-2022">`)}
      ${f('c-title', 'case.titleCol', html`<input id="c-title" name="title" required maxlength="500">`)}
      ${f('c-basis', 'case.legalBasis', html`<input id="c-basis" name="legalBasis" required maxlength="500">`)}
      ${f('c-agency', 'case.agency', html`<input id="c-agency" name="agency" required maxlength="200">`)}
      ${f('c-opened', 'case.opened', html`<input id="c-opened" name="openedOn" type="date" required>`)}
      <div class="field"><button class="btn primary" type="submit">${i.t('intake.createCase')}</button></div>
      <p class="form-msg" role="status" aria-live="polite"></p>
    </form>
  </details>
  <details class="subform" id="seizure-details"><summary class="btn">${i.t('intake.newSeizure')}</summary>
    <form id="seizure-form" class="grid-form">
      ${f('s-farm', 'seizure.farm', html`<input id="s-farm" name="farmName" required maxlength="300">`)}
      ${f('s-region', 'dash.region', html`<input id="s-region" name="region" required maxlength="200" list="regions">`)}
      ${f('s-address', 'seizure.address', html`<input id="s-address" name="address" required maxlength="1000">`)}
      ${f('s-at', 'seizure.seizedAt', html`<input id="s-at" name="seizedAt" type="datetime-local" required data-kind="datetime">`)}
      ${f('s-officer', 'seizure.officer', html`<input id="s-officer" name="seizingOfficer" required maxlength="300">`)}
      ${f('s-warrant', 'seizure.warrant', html`<input id="s-warrant" name="warrantRef" required maxlength="200">`)}
      ${f('s-ground', 'seizure.legalGround', html`<select id="s-ground" name="legalGround">${LEGAL_GROUNDS.map((g) => html`<option value="${g}">${i.t(`ground.${g}`)}</option>`)}</select>`)}
      ${f('s-outcome', 'seizure.outcome', html`<select id="s-outcome" name="outcome">${SITE_OUTCOMES.map((o) => html`<option value="${o}">${i.t(`outcome.${o}`)}</option>`)}</select>`)}
      ${f('s-load', 'seizure.load', html`<input id="s-load" name="estimatedLoadKw" inputmode="decimal" data-kind="number">`)}
      <div class="field"><button class="btn primary" type="submit">${i.t('intake.createSeizure')}</button></div>
      <p class="form-msg" role="status" aria-live="polite"></p>
    </form>
  </details>
  </div>
  <datalist id="regions">${['Pavlodar', 'Karaganda', 'Akmola', 'Almaty', 'Zhambyl', 'Turkistan', 'East Kazakhstan'].map((r) => html`<option value="${r}">`)}</datalist>
</li>
<li class="panel step" id="step-csv">
  <h2><span class="step-no">2</span> ${i.t('intake.csvStep')}</h2>
  <p class="muted">${i.t('intake.csvHelp')}</p>
  <div class="row">
    ${f('csv-file', 'intake.file', html`<span class="file-pick"><input id="csv-file" class="file-input" type="file" accept=".csv,text/csv"><label for="csv-file" class="btn" aria-hidden="true">${i.t('intake.chooseFile')}</label><span id="csv-file-name" class="muted">${i.t('intake.noFile')}</span></span>`)}
  </div>
  ${f('csv-text', 'intake.csvText', html`<textarea id="csv-text" class="mono" rows="8" spellcheck="false" placeholder="category;make;model;serial;quantity;unit;hashrate_ths;power_w;seal_no;condition;description"></textarea>`)}
  <div class="actions">
    <button type="button" class="btn" id="csv-check">${i.t('intake.check')}</button>
    <button type="button" class="btn primary" id="csv-import" disabled>${i.t('intake.import')}</button>
  </div>
  <div id="csv-msg" role="status" aria-live="polite"></div>
  <div id="csv-preview" class="table-wrap"></div>
</li>
<li class="panel step" id="step-one">
  <h2><span class="step-no">↳</span> ${i.t('intake.oneStep')}</h2>
  <form id="item-form" class="grid-form">
    ${f('i-category', 'item.category', html`<select id="i-category" name="category">${ITEM_CATEGORIES.map((c) => html`<option value="${c}">${categoryName(i, c)}</option>`)}</select>`)}
    ${f('i-make', 'item.make', html`<input id="i-make" name="make" maxlength="200">`)}
    ${f('i-model', 'item.model', html`<input id="i-model" name="model" maxlength="200">`)}
    ${f('i-serial', 'item.serial', html`<input id="i-serial" name="serialNumber" maxlength="200">`)}
    ${f('i-seal', 'item.sealNo', html`<input id="i-seal" name="sealNo" maxlength="64">`)}
    ${f('i-qty', 'item.qty', html`<input id="i-qty" name="quantity" inputmode="numeric" data-kind="int" value="1">`)}
    <div class="field"><button class="btn primary" type="submit">${i.t('intake.addOne')}</button></div>
    <p class="form-msg" role="status" aria-live="polite"></p>
  </form>
</li>
<li class="panel step" id="step-done">
  <h2><span class="step-no">3</span> ${i.t('intake.doneStep')}</h2>
  <div id="done-msg" role="status" aria-live="polite"><p class="muted">${i.t('intake.nothingYet')}</p></div>
  <div class="actions">
    ${
      hasApi('/labels/items')
        ? html`<label for="label-format">${i.t('intake.labelFormat')}</label>
    <select id="label-format">${LABEL_FORMATS.map((f) => html`<option value="${f}">${i.t(`labelFormat.${f}` as MessageKey)}</option>`)}</select>
    <button type="button" class="btn primary" id="print-labels" data-testid="print-labels" disabled>${i.t('intake.printLabels')}</button>`
        : ''
    }
  </div>
  <div id="print-msg" role="status" aria-live="polite"></div>
  <ul id="done-list" class="ev-list"></ul>
</li>
</ol>`;
  return layout(i, session, {
    title: i.t('nav.intake'),
    active: 'intake',
    body,
    scripts: ['intake'],
    strings: ['intake.', 'category.'],
  });
};
