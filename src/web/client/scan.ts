/// <reference lib="dom" />
import { parseEvidenceNo, parseLocationCode } from '../../lib/codes';
import { beep, type Tone } from './beep';
import { api, escapeHtml, newKey, problemText, strings, t } from './lib';

const s = strings();
const input = document.getElementById('scan-input') as HTMLInputElement;
const form = document.getElementById('scan-form') as HTMLFormElement;
const feedback = document.getElementById('scan-feedback')!;
const target = document.getElementById('scan-target')!;
const rows = document.getElementById('scan-rows')!;
const count = document.getElementById('scan-count')!;
const confirmBtn = document.getElementById('scan-confirm') as HTMLButtonElement;
const clearBtn = document.getElementById('scan-clear') as HTMLButtonElement;
const result = document.getElementById('scan-result')!;

interface Location {
  code: string;
  printed: string;
  path: string;
}
interface Pending {
  evidenceNo: string;
  printed: string;
  from: string;
  type: 'moved' | 'received';
}
interface ItemAnswer {
  evidenceNo: string;
  printed: string;
  status: string;
  location: Location | null;
  holder: { name: string | null } | null;
}

let here: Location | null = null;
let pending: Pending[] = [];
let batchKey = newKey();
const TERMINAL = ['destroyed', 'sold', 'released', 'transferred_out'];

function show(kind: Tone, text: string) {
  feedback.className = `feedback f-${kind}`;
  feedback.textContent = text;
  beep(kind);
}

function render() {
  rows.innerHTML = pending
    .map(
      (p, n) =>
        `<tr data-ev="${p.evidenceNo}"><td class="mono">${escapeHtml(p.printed)}</td><td>${escapeHtml(p.from)}</td><td>${escapeHtml(t(s, `scan.will.${p.type}`))}</td>` +
        `<td><button type="button" class="btn small" data-remove="${n}" aria-label="${escapeHtml(t(s, 'scan.remove'))} ${escapeHtml(p.printed)}">×</button></td></tr>`,
    )
    .join('');
  count.textContent = String(pending.length);
  confirmBtn.disabled = pending.length === 0 || !here;
  confirmBtn.textContent = here
    ? t(s, 'scan.confirmTo', { n: pending.length, where: here.path })
    : t(s, 'scan.confirm');
}

async function scanLocation(code: string) {
  const res = await api<Location & { name: string }>('GET', `/api/v1/locations/${code}`);
  if (!res.ok)
    return show(
      'error',
      res.status === 404 ? t(s, 'scan.unknownLocation', { code }) : problemText(s, res.body),
    );
  here = { code: res.body.code, printed: res.body.printed, path: res.body.path };
  target.innerHTML = `<span class="muted">${escapeHtml(t(s, 'scan.target'))}</span> <strong>${escapeHtml(here.path)}</strong> <span class="mono muted">${escapeHtml(here.printed)}</span>`;
  show('location', t(s, 'scan.locationSet', { where: here.path }));
  render();
}

async function scanItem(compact: string, printed: string) {
  if (!here) return show('error', t(s, 'scan.locationFirst'));
  if (pending.some((p) => p.evidenceNo === compact))
    return show('duplicate', t(s, 'scan.duplicate', { ev: printed }));
  const res = await api<ItemAnswer>('GET', `/api/v1/items/${compact}`);
  if (res.status === 404) return show('error', t(s, 'scan.unknownItem', { ev: printed }));
  if (!res.ok) return show('error', problemText(s, res.body));
  const item = res.body;
  if (TERMINAL.includes(item.status))
    return show('disposed', t(s, 'scan.disposed', { ev: printed, status: t(s, `status.${item.status}`) }));
  if (item.status === 'checked_out')
    return show('error', t(s, 'scan.checkedOut', { ev: printed, holder: item.holder?.name ?? '—' }));
  if (item.location?.code === here.code) return show('here', t(s, 'scan.alreadyHere', { ev: printed }));
  const type = item.status === 'registered' || item.status === 'missing' ? 'received' : 'moved';
  pending.push({
    evidenceNo: compact,
    printed: item.printed,
    from: item.location?.path ?? t(s, `status.${item.status}`),
    type,
  });
  render();
  show(
    'ok',
    t(s, type === 'received' ? 'scan.willReceive' : 'scan.willMove', { ev: item.printed, where: here.path }),
  );
}

/** One scan: a location code, an evidence number (either form), or garbage. */
async function handle(raw: string) {
  const text = raw.trim().toUpperCase();
  if (!text) return;
  if (text.startsWith('LC')) {
    try {
      return await scanLocation(parseLocationCode(text).compact);
    } catch (e) {
      return show(
        'error',
        t(s, (e as { code?: string }).code === 'invalid_check_digit' ? 'scan.badCheck' : 'scan.garbage', {
          code: text,
        }),
      );
    }
  }
  if (text.startsWith('EV')) {
    try {
      const ev = parseEvidenceNo(text);
      return await scanItem(ev.compact, ev.printed);
    } catch (e) {
      return show(
        'error',
        t(s, (e as { code?: string }).code === 'invalid_check_digit' ? 'scan.badCheck' : 'scan.garbage', {
          code: text,
        }),
      );
    }
  }
  show('error', t(s, 'scan.garbage', { code: text.slice(0, 40) }));
}

// Scans are handled one after another, in the order they came, however fast the scanner types.
let queue: Promise<void> = Promise.resolve();
export function submitScan(value: string) {
  queue = queue.then(() => handle(value)).catch(() => show('error', t(s, 'error.network')));
  return queue;
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const value = input.value;
  input.value = '';
  void submitScan(value);
  input.focus();
});

// The input keeps the focus unless the user moves it on purpose (to a button, with Tab or a click).
input.addEventListener('blur', (e) => {
  if (!e.relatedTarget) setTimeout(() => document.activeElement === document.body && input.focus(), 0);
});

rows.addEventListener('click', (e) => {
  const n = (e.target as HTMLElement).dataset.remove;
  if (n === undefined) return;
  pending.splice(Number(n), 1);
  render();
  input.focus();
});

clearBtn.addEventListener('click', () => {
  pending = [];
  render();
  result.textContent = '';
  input.focus();
});

confirmBtn.addEventListener('click', async () => {
  if (!here || pending.length === 0) return;
  confirmBtn.disabled = true;
  const where = here;
  const events = pending.map((p) => ({
    evidenceNo: p.evidenceNo,
    event: { type: p.type, locationCode: where.code },
  }));
  const res = await api<{
    count?: number;
    errors?: { index: number; evidenceNo: string; detail: string; code: string }[];
  }>('POST', '/api/v1/events/batch', { json: { events }, key: batchKey });
  if (res.ok) {
    result.className = 'msg ok';
    result.textContent = t(s, 'scan.written', { n: events.length, where: where.path });
    beep('done');
    pending = [];
    batchKey = newKey();
  } else {
    result.className = 'msg error';
    const errors = res.body.errors ?? [];
    result.innerHTML = `<p>${escapeHtml(problemText(s, res.body))}</p>${errors.length ? `<ul>${errors.map((e) => `<li><span class="mono">${escapeHtml(e.evidenceNo)}</span>: ${escapeHtml(t(s, `error.${e.code}`) === `error.${e.code}` ? e.detail : t(s, `error.${e.code}`))}</li>`).join('')}</ul>` : ''}`;
    for (const e of errors) rows.querySelector(`tr[data-ev="${e.evidenceNo}"]`)?.classList.add('row-bad');
    beep('error');
  }
  render();
  input.focus();
});

// Phone: the camera, through the browser's BarcodeDetector or the zxing-wasm polyfill served by us.
const camera = document.getElementById('camera')!;
const video = document.getElementById('camera-video') as HTMLVideoElement;
let stream: MediaStream | null = null;
document.getElementById('camera-btn')!.addEventListener('click', async () => {
  try {
    const Detector = await detectorClass();
    const detector = new Detector({ formats: ['code_128', 'data_matrix', 'qr_code'] });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    camera.hidden = false;
    await video.play();
    let last = '';
    let lastAt = 0;
    const tick = async () => {
      if (!stream) return;
      try {
        const found = await detector.detect(video);
        const value = found[0]?.rawValue;
        if (value && (value !== last || Date.now() - lastAt > 2500)) {
          last = value;
          lastAt = Date.now();
          void submitScan(value);
        }
      } catch {
        // a frame that cannot be read
      }
      setTimeout(tick, 150);
    };
    void tick();
  } catch {
    show('error', t(s, 'scan.noCamera'));
  }
});
document.getElementById('camera-stop')!.addEventListener('click', stopCamera);
function stopCamera() {
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = null;
  camera.hidden = true;
  input.focus();
}

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (o: { formats: string[] }) => Detector;

async function detectorClass(): Promise<DetectorClass> {
  const native = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (native) return native;
  const mod = await import('barcode-detector/ponyfill');
  mod.setZXingModuleOverrides({
    locateFile: (path: string, prefix: string) =>
      path.endsWith('.wasm') ? '/assets/zxing_reader.wasm' : prefix + path,
  });
  return mod.BarcodeDetector as unknown as DetectorClass;
}

render();
input.focus();
