import type { Db } from '../../db/open';
import { parseEvidenceNo } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import { LABEL_FORMATS, THERMAL_FORMATS } from '../../modules/labels/labels.formats';
import { printedEvidenceNo, type Skipped } from '../../modules/labels/labels.select';
import { prepareItemJob, type SelectorInput } from '../../modules/labels/labels.service';
import { listLocations, showLocation } from '../../modules/locations/locations.service';
import { html } from '../html';
import type { I18n, MessageKey } from '../i18n';
import { layout } from '../layout';
import type { PageHandler } from '../web.router';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

const chosen = (items: string, where: Record<string, string>) =>
  items !== '' || Object.values(where).some((v) => v !== '');

/** At most this many numbers are named per reason on the page; the rest are counted. */
const NAMED = 20;

interface LabelCheck {
  /** The query of the PDF/ZPL links (printable items only), or null when nothing can be printed. */
  link: string | null;
  count: number;
  preview: string[];
  /** One line per reason an item is left out, naming the numbers, in the user's language. */
  leftOut: string[];
  problem: string | null;
}

/**
 * Checks a selection before anything is downloaded, as the print job would (prepareItemJob), so the
 * page can name what cannot be printed and why, and link to a job that prints the rest.
 */
function checkLabels(
  db: Db,
  i: I18n,
  q: {
    items: string;
    caseId: string;
    seizureId: string;
    locationCode: string;
    format: string;
    copies: string;
  },
): LabelCheck {
  const leftOut: string[] = [];
  const name = (key: MessageKey, list: string[]) => {
    if (list.length === 0) return;
    const shown = list.slice(0, NAMED).join(', ');
    const more = list.length > NAMED ? ` ${i.t('labels.andMore', { n: i.number(list.length - NAMED) })}` : '';
    leftOut.push(`${i.t(key, { n: i.number(list.length) })}: ${shown}${more}`);
  };
  const nameSkipped = (skipped: Skipped) => {
    name('labels.unknown', skipped.unknown.map(printedEvidenceNo));
    name('labels.disposed', skipped.disposed.map(printedEvidenceNo));
  };
  const selector: SelectorInput = {};
  const valid = new Set<string>();
  if (q.items) {
    const mistyped: string[] = [];
    for (const text of q.items.split(/[\s,;]+/).filter(Boolean)) {
      try {
        valid.add(parseEvidenceNo(text).compact);
      } catch {
        mistyped.push(text.slice(0, 40));
      }
    }
    name('labels.mistyped', mistyped);
    if (valid.size === 0)
      return { link: null, count: 0, preview: [], leftOut, problem: i.t('labels.nonePrintable') };
    selector.items = [...valid];
  } else if (q.seizureId) selector.seizureId = q.seizureId;
  else if (q.caseId) selector.caseId = q.caseId;
  else selector.locationCode = q.locationCode;
  try {
    const job = prepareItemJob(db, {
      ...selector,
      format: q.format,
      copies: Number(q.copies),
      skipMissing: true,
    });
    nameSkipped(job.resolved.skipped);
    const params = new URLSearchParams({ format: q.format, copies: q.copies });
    if (valid.size) {
      const left = new Set([...job.resolved.skipped.unknown, ...job.resolved.skipped.disposed]);
      params.set('items', [...valid].filter((no) => !left.has(no)).join(','));
    }
    for (const by of ['caseId', 'seizureId', 'locationCode'] as const) {
      const v = selector[by];
      if (v) params.set(by, v);
    }
    // The page has named what is left out; a job that finds one more (disposed meanwhile) still prints the rest.
    params.set('skipMissing', 'true');
    const first = job.resolved.pages(3)[Symbol.iterator]().next();
    const preview = first.done ? [] : first.value.map((it) => it.evidenceNo);
    return { link: params.toString(), count: job.resolved.count, preview, leftOut, problem: null };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // Everything was left out: the refusal still says what and why.
    const skipped = err.extra.skipped as Skipped | undefined;
    if (skipped) nameSkipped(skipped);
    const key = `error.${err.code}` as MessageKey;
    const problem =
      err.code === 'empty_selection'
        ? i.t('labels.nonePrintable')
        : i.t(key) === key
          ? i.t('labels.badSelection')
          : i.t(key);
    return { link: null, count: 0, preview: [], leftOut, problem };
  }
}

const PICK_PAGE = 100;

/**
 * Location labels for a subtree, picked by walking down from the warehouses (`?at=`), a page of a
 * level at a time: a site with thousands of shelves needs no list of all of them.
 */
function locationPicker(db: Db, i: I18n, at: string, cursor: string) {
  let chosen: ReturnType<typeof showLocation> | null = null;
  try {
    chosen = at ? showLocation(db, at, { limit: 1 }) : null;
  } catch {
    chosen = null;
  }
  const level = chosen
    ? { items: chosen.children, nextCursor: null }
    : listLocations(db, { kind: 'warehouse', limit: PICK_PAGE, ...(cursor ? { cursor } : {}) });
  const open = (code: string, text: string) => html`<a href="/labels?at=${code}#location-labels">${text}</a>`;
  return html`<section class="panel" id="location-labels"><h2>${i.t('labels.locations')}</h2>
<p class="crumbs">${open('', i.t('labels.allWarehouses'))}${(chosen ? [...chosen.ancestors, chosen] : []).map((a) => html` › ${open(a.code, a.name)}`)}</p>
${
  level.items.length
    ? html`<ul class="loc-pick">${level.items.map((l) => html`<li>${open(l.code, l.name)} <span class="mono muted">${l.printed}</span></li>`)}</ul>`
    : ''
}
${level.nextCursor ? html`<p><a href="/labels?atCursor=${level.nextCursor}#location-labels">${i.t('table.next')}</a></p>` : ''}
${
  chosen
    ? html`<form method="get" action="/api/v1/labels/locations.pdf" target="_blank" class="filters">
  <input type="hidden" name="under" value="${chosen.code}">
  <p class="msg info grow">${i.t('labels.under')}: <strong>${chosen.path}</strong></p>
  <div class="field"><label for="l-lformat">${i.t('labels.format')}</label><select id="l-lformat" name="format">${LABEL_FORMATS.map((f) => html`<option value="${f}">${i.t(`labelFormat.${f}` as MessageKey)}</option>`)}</select></div>
  <div class="field"><button class="btn" type="submit">${i.t('labels.pdf')}</button></div>
</form>`
    : html`<p class="muted">${i.t('labels.pickLocation')}</p>`
}
</section>`;
}

/** Labels: pick items (a list, a case, a seizure or a location) and a medium, see a preview, download PDF or ZPL. */
export const labelsPage: PageHandler = (req, { i, session }, ctx) => {
  const q = req.query as Record<string, unknown>;
  const items = str(q.items);
  const caseId = str(q.caseId);
  const seizureId = str(q.seizureId);
  const locationCode = str(q.locationCode);
  const format = (LABEL_FORMATS as readonly string[]).includes(str(q.format)) ? str(q.format) : '4x2';
  const copies = /^([1-9]|10)$/.test(str(q.copies)) ? str(q.copies) : '1';
  const check = chosen(items, { caseId, seizureId, locationCode })
    ? checkLabels(ctx.db, i, { items, caseId, seizureId, locationCode, format, copies })
    : null;
  const preview = check?.preview ?? [];
  const thermal = (THERMAL_FORMATS as readonly string[]).includes(format);
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
${check?.problem ? html`<p class="msg error" role="alert" id="labels-problem">${check.problem}</p>` : ''}
${
  check?.leftOut.length
    ? html`<div class="msg warn" role="alert" id="labels-left-out">${i.t('labels.leftOut')}<ul style="margin: 0.25rem 0 0">${check.leftOut.map((line) => html`<li>${line}</li>`)}</ul></div>`
    : ''
}
${
  check?.link
    ? html`<p class="msg info" id="labels-count">${i.t('labels.willPrint', { n: i.number(check.count) })}</p>
<p class="actions">
  <a class="btn primary" id="labels-pdf" href="/api/v1/labels/items.pdf?${check.link}" target="_blank">${i.t('labels.pdf')}</a>
  ${thermal ? html`<a class="btn" id="labels-zpl" href="/api/v1/labels/items.zpl?${check.link}" download>${i.t('labels.zpl')}</a>` : ''}
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
${locationPicker(ctx.db, i, str(q.at), str(q.atCursor))}`;
  return layout(i, session, { title: i.t('nav.labels'), active: 'labels', body });
};
