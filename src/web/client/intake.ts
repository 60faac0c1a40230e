/// <reference lib="dom" />
import {
  api,
  download,
  escapeHtml,
  formJson,
  guardedSubmit,
  newKey,
  problemText,
  say,
  strings,
  t,
} from './lib';

const s = strings();
const caseSelect = document.getElementById('case-select') as HTMLSelectElement;
const seizureSelect = document.getElementById('seizure-select') as HTMLSelectElement;
const csvFile = document.getElementById('csv-file') as HTMLInputElement;
const csvText = document.getElementById('csv-text') as HTMLTextAreaElement;
const checkBtn = document.getElementById('csv-check') as HTMLButtonElement;
const importBtn = document.getElementById('csv-import') as HTMLButtonElement;
const csvMsg = document.getElementById('csv-msg')!;
const preview = document.getElementById('csv-preview')!;
const doneMsg = document.getElementById('done-msg')!;
const doneList = document.getElementById('done-list')!;
const printBtn = document.getElementById('print-labels') as HTMLButtonElement | null;
const printMsg = document.getElementById('print-msg');
const labelFormat = document.getElementById('label-format') as HTMLSelectElement | null;

let checkedText: string | null = null;

/** Shows a refusal beside a form; false tells guardedSubmit to keep the idempotency key. */
function refuse(el: Element | null, text: string): false {
  say(el, text, 'error');
  return false;
}
let importKey = newKey();
const registered: string[] = [];

interface Seizure {
  id: string;
  farmName: string;
  region: string;
}
interface RowError {
  line: number;
  column: string | null;
  message: string;
}

const target = () => ({ caseId: caseSelect.value, seizureId: seizureSelect.value });

async function loadSeizures(select?: string) {
  seizureSelect.innerHTML = `<option value="">${escapeHtml(t(s, 'intake.chooseSeizure'))}</option>`;
  seizureSelect.disabled = !caseSelect.value;
  if (!caseSelect.value) return;
  const res = await api<{ items: Seizure[] }>(
    'GET',
    `/api/v1/cases/${encodeURIComponent(caseSelect.value)}/seizures?limit=500`,
  );
  for (const z of res.body.items ?? [])
    seizureSelect.add(new Option(`${z.farmName} · ${z.region}`, z.id, false, z.id === select));
  invalidate();
}
caseSelect.addEventListener('change', () => void loadSeizures());
seizureSelect.addEventListener('change', invalidate);

guardedSubmit(document.getElementById('case-form') as HTMLFormElement, async (key) => {
  const form = document.getElementById('case-form') as HTMLFormElement;
  const res = await api<{ id: string; number: string; title: string }>('POST', '/api/v1/cases', {
    json: formJson(form),
    key,
  });
  const msg = form.querySelector('.form-msg');
  if (!res.ok) return refuse(msg, problemText(s, res.body));
  caseSelect.add(new Option(`${res.body.number} — ${res.body.title}`, res.body.id, true, true));
  say(msg, t(s, 'intake.caseCreated', { number: res.body.number }), 'ok');
  form.reset();
  (form.closest('details') as HTMLDetailsElement).open = false;
  await loadSeizures();
  (document.getElementById('seizure-details') as HTMLDetailsElement).open = true;
  return true;
});

guardedSubmit(document.getElementById('seizure-form') as HTMLFormElement, async (key) => {
  const form = document.getElementById('seizure-form') as HTMLFormElement;
  const msg = form.querySelector('.form-msg');
  if (!caseSelect.value) return refuse(msg, t(s, 'intake.caseFirst'));
  const res = await api<Seizure>('POST', `/api/v1/cases/${encodeURIComponent(caseSelect.value)}/seizures`, {
    json: formJson(form),
    key,
  });
  if (!res.ok) return refuse(msg, problemText(s, res.body));
  await loadSeizures(res.body.id);
  say(msg, t(s, 'intake.seizureCreated', { name: res.body.farmName }), 'ok');
  form.reset();
  return true;
});

csvFile.addEventListener('change', async () => {
  const file = csvFile.files?.[0];
  const name = document.getElementById('csv-file-name');
  if (name) name.textContent = file ? file.name : t(s, 'intake.noFile');
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    csvText.value = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    invalidate();
    say(csvMsg, t(s, 'intake.loaded', { name: file.name }), 'info');
  } catch {
    say(csvMsg, t(s, 'error.invalid_encoding'), 'error');
  }
});
csvText.addEventListener('input', invalidate);

function invalidate() {
  checkedText = null;
  importBtn.disabled = true;
}

/** A simple split for the preview table (the service parses for real, quotes and all). */
function splitLines(text: string): string[][] {
  const lines = text.split(/\r?\n/);
  const sep = (lines[0] ?? '').includes(';') ? ';' : ',';
  return lines.map((l) => {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (let n = 0; n < l.length; n++) {
      const c = l[n]!;
      if (c === '"') {
        if (quoted && l[n + 1] === '"') {
          cur += '"';
          n++;
        } else quoted = !quoted;
      } else if (c === sep && !quoted) {
        cells.push(cur);
        cur = '';
      } else cur += c;
    }
    cells.push(cur);
    return cells;
  });
}

function renderPreview(text: string, errors: RowError[]) {
  const lines = splitLines(text);
  const header = lines[0] ?? [];
  const byLine = new Map<number, RowError[]>();
  for (const e of errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  const body = lines
    .slice(1)
    .map((cells, n) => ({ cells, line: n + 2 }))
    .filter(({ cells, line }) => cells.some((c) => c.trim() !== '') || byLine.has(line))
    .slice(0, 500)
    .map(({ cells, line }) => {
      const errs = byLine.get(line) ?? [];
      return `<tr class="${errs.length ? 'row-bad' : ''}"><td class="num">${line}</td>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}<td>${errs.map((e) => `<div class="bad">${e.column ? `<strong>${escapeHtml(e.column)}</strong>: ` : ''}${escapeHtml(e.message)}</div>`).join('')}</td></tr>`;
    })
    .join('');
  preview.innerHTML = `<table class="compact preview"><thead><tr><th>${escapeHtml(t(s, 'intake.line'))}</th>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}<th>${escapeHtml(t(s, 'intake.problems'))}</th></tr></thead><tbody>${body}</tbody></table>`;
}

checkBtn.addEventListener('click', async () => {
  const { caseId, seizureId } = target();
  if (!caseId || !seizureId) return say(csvMsg, t(s, 'intake.pickFirst'), 'error');
  const text = csvText.value;
  if (!text.trim()) return say(csvMsg, t(s, 'intake.noCsv'), 'error');
  checkBtn.disabled = true;
  const q = new URLSearchParams({ caseId, seizureId, dryRun: 'true' });
  const res = await api<{ count?: number; errors?: RowError[] }>('POST', `/api/v1/items/import?${q}`, {
    text,
    contentType: 'text/csv; charset=utf-8',
  });
  checkBtn.disabled = false;
  if (res.ok) {
    checkedText = text;
    importBtn.disabled = false;
    renderPreview(text, []);
    say(csvMsg, t(s, 'intake.checkedOk', { n: res.body.count ?? 0 }), 'ok');
    importBtn.focus();
  } else {
    const errors = res.body.errors ?? [];
    renderPreview(text, errors);
    say(
      csvMsg,
      errors.length
        ? t(s, 'intake.checkedBad', { n: new Set(errors.map((e) => e.line)).size })
        : problemText(s, res.body),
      'error',
    );
  }
});

importBtn.addEventListener('click', async () => {
  const { caseId, seizureId } = target();
  if (checkedText === null || checkedText !== csvText.value) return invalidate();
  importBtn.disabled = true;
  const q = new URLSearchParams({ caseId, seizureId });
  const res = await api<{ count: number; evidenceNos: string[] }>('POST', `/api/v1/items/import?${q}`, {
    text: checkedText,
    contentType: 'text/csv; charset=utf-8',
    key: importKey,
  });
  if (!res.ok) {
    importBtn.disabled = false;
    return say(csvMsg, problemText(s, res.body), 'error');
  }
  importKey = newKey();
  checkedText = null;
  say(csvMsg, t(s, 'intake.imported', { n: res.body.count }), 'ok');
  done(res.body.evidenceNos);
});

guardedSubmit(document.getElementById('item-form') as HTMLFormElement, async (key) => {
  const form = document.getElementById('item-form') as HTMLFormElement;
  const msg = form.querySelector('.form-msg');
  const { caseId, seizureId } = target();
  if (!caseId || !seizureId) return refuse(msg, t(s, 'intake.pickFirst'));
  const res = await api<{ evidenceNo: string; printed: string }>('POST', '/api/v1/items', {
    json: { caseId, seizureId, ...formJson(form) },
    key,
  });
  if (!res.ok) return refuse(msg, problemText(s, res.body));
  say(msg, t(s, 'intake.added', { ev: res.body.printed }), 'ok');
  done([res.body.evidenceNo]);
  return true;
});

const printed = (c: string) => `EV-${c.slice(2, 4)}-${c.slice(4, 11)}-${c.slice(11)}`;

function done(evs: string[]) {
  registered.push(...evs);
  doneMsg.innerHTML = `<p class="msg ok">${escapeHtml(t(s, 'intake.registered', { n: registered.length }))}</p>`;
  doneList.innerHTML = registered
    .slice(-200)
    .map((e) => `<li><a class="mono" href="/items/${e}">${printed(e)}</a></li>`)
    .join('');
  enablePrint();
}

/**
 * One click prints the session's labels: a PDF of every item registered here, on the chosen stock.
 * A POST with the numbers in its body (up to 100,000), so a 10,000-item intake fits; the button is
 * off while the PDF is made, so a double click prints once.
 */
function enablePrint() {
  if (printBtn && registered.length) printBtn.disabled = false;
}
printBtn?.addEventListener('click', async () => {
  if (!registered.length || printBtn.disabled) return;
  printBtn.disabled = true;
  printBtn.setAttribute('aria-busy', 'true');
  const n = registered.length;
  const format = labelFormat?.value ?? '4x2';
  say(printMsg, t(s, 'intake.labelsPreparing', { n }), 'info');
  try {
    const got = await download(
      'POST',
      '/api/v1/labels/items.pdf',
      { json: { items: registered, format } },
      `labels-${format}-${n}.pdf`,
    );
    if (got.ok) say(printMsg, t(s, 'intake.labelsReady', { n, file: got.file }), 'ok');
    else say(printMsg, problemText(s, got.problem), 'error');
  } finally {
    printBtn.disabled = false;
    printBtn.removeAttribute('aria-busy');
  }
});

if (caseSelect.value && !seizureSelect.options.length) void loadSeizures();
