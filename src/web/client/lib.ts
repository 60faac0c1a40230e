/// <reference lib="dom" />
/** What every page's script shares: the API call with CSRF and idempotency keys, messages, form reading. */

export type Strings = Record<string, string>;

export function strings(): Strings {
  const el = document.getElementById('strings');
  return el?.textContent ? (JSON.parse(el.textContent) as Strings) : {};
}

export function t(s: Strings, key: string, params: Record<string, string | number> = {}): string {
  const text = s[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

const csrf = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

/** A fresh idempotency key (works on plain http too, where randomUUID is missing). */
export function newKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export interface Answer<T = Record<string, unknown>> {
  ok: boolean;
  status: number;
  body: T;
}

export interface CallOptions {
  json?: unknown;
  text?: string;
  contentType?: string;
  key?: string;
  ifMatch?: number;
}

/** The fetch behind api() and download(): session cookie, CSRF token on writes, keys, and a timed-out session sends to sign-in. */
async function call(
  method: string,
  path: string,
  o: CallOptions,
  accept: string,
): Promise<{ res: Response | null; problem: Record<string, unknown> }> {
  const headers: Record<string, string> = { Accept: accept };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
  if (o.key) headers['Idempotency-Key'] = o.key;
  if (o.ifMatch !== undefined) headers['If-Match'] = `"${o.ifMatch}"`;
  let body: string | undefined;
  if (o.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(o.json);
  } else if (o.text !== undefined) {
    headers['Content-Type'] = o.contentType ?? 'text/plain';
    body = o.text;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    return { res: null, problem: { code: 'network' } };
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.ok && !type.includes('json')) return { res, problem: {} };
  const parsed = type.includes('json') ? await res.json().catch(() => ({})) : {};
  if (
    res.status === 401 &&
    ['session_expired', 'unauthenticated'].includes((parsed as { code?: string }).code ?? '')
  ) {
    const next = encodeURIComponent(location.pathname + location.search);
    setTimeout(() => location.assign(`/signin?expired=1&next=${next}`), 1500);
  }
  return { res, problem: parsed as Record<string, unknown> };
}

/** The API with this page's session cookie; writes carry the CSRF token and, given one, an idempotency key. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  o: CallOptions = {},
): Promise<Answer<T>> {
  const { res, problem } = await call(method, path, o, 'application/json');
  return { ok: res?.ok ?? false, status: res?.status ?? 0, body: problem as T };
}

/**
 * A file from the API (a PDF of labels, say) saved by the browser as `fallbackName` unless the
 * service names it: for bodies too long for a link (a POST with 10,000 evidence numbers).
 */
export async function download(
  method: string,
  path: string,
  o: CallOptions,
  fallbackName: string,
): Promise<{ ok: true; file: string } | { ok: false; problem: Record<string, unknown> }> {
  const { res, problem } = await call(method, path, o, '*/*');
  if (!res?.ok) return { ok: false, problem };
  const blob = await res.blob().catch(() => null);
  if (!blob) return { ok: false, problem: { code: 'network' } };
  const named = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const file = named ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true, file };
}

/**
 * A refusal in the user's language: the catalogue's text for its code, else the service's own
 * detail. The detail is English, so it is not added to a known code's text in the page.
 */
export function problemText(s: Strings, answer: object): string {
  const body = answer as Record<string, unknown>;
  const code = String(body.code ?? 'network');
  const known = s[`error.${code}`];
  const detail = typeof body.detail === 'string' ? body.detail : '';
  return known ?? (detail || code);
}

/** Kazakhstan local time as the user typed it (datetime-local) → RFC 3339 with +05:00. */
export const OFFSET = '+05:00';
export const localToRfc3339 = (v: string) => (v.length === 16 ? `${v}:00${OFFSET}` : `${v}${OFFSET}`);

/** Sets `a.b.c` in an object, making the members on the way. */
function put(out: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split('.');
  let at = out;
  for (const p of parts.slice(0, -1)) {
    at[p] ??= {};
    at = at[p] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]!] = value;
}

/**
 * A form's fields as a JSON body: empty fields are left out, `a.b` names nest, `x[]` checkboxes
 * collect into a list, and `data-kind` converts (datetime, number, int, money in minor units, list).
 */
export function formJson(form: HTMLFormElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const el of Array.from(form.elements)) {
    if (
      !(
        el instanceof HTMLInputElement ||
        el instanceof HTMLSelectElement ||
        el instanceof HTMLTextAreaElement
      )
    )
      continue;
    if (!el.name || el.disabled) continue;
    if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') && !el.checked)
      continue;
    const v = el.value.trim();
    if (el.name.endsWith('[]')) {
      const name = el.name.slice(0, -2);
      out[name] = [...((out[name] as unknown[] | undefined) ?? []), v];
      continue;
    }
    if (v === '') continue;
    const kind = el.dataset.kind;
    let value: unknown = v;
    if (kind === 'datetime') value = localToRfc3339(v);
    else if (kind === 'number') value = Number(v.replace(/\s/g, '').replace(',', '.'));
    else if (kind === 'int') value = Number.parseInt(v, 10);
    else if (kind === 'money') value = Math.round(Number(v.replace(/\s/g, '').replace(',', '.')) * 100);
    else if (kind === 'list') value = v.split(/[\s,;]+/).filter(Boolean);
    put(out, el.name, value);
  }
  return out;
}

export function say(el: Element | null, text: string, kind: 'ok' | 'error' | 'info' = 'info') {
  if (!el) return;
  el.textContent = text;
  el.classList.remove('ok', 'error', 'info');
  el.classList.add('msg', kind);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A submit that cannot run twice: the button is disabled while the request is out, and the same
 * idempotency key is sent until the write succeeds, so a double click or a retry writes once.
 */
export function guardedSubmit(form: HTMLFormElement, run: (key: string) => Promise<boolean>) {
  let key = newKey();
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    if (!form.reportValidity()) return;
    busy = true;
    const buttons = form.querySelectorAll<HTMLButtonElement>('button[type="submit"]');
    for (const b of Array.from(buttons)) b.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      if (await run(key)) key = newKey();
    } finally {
      busy = false;
      for (const b of Array.from(buttons)) b.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
}

let redraws = 0;

/**
 * Redraws parts of this page (by selector) from the server's fresh rendering of it, after a scan.
 * Only the latest redraw is applied, so a slow earlier answer never paints an older state.
 */
export async function redraw(selectors: string[]): Promise<void> {
  const mine = ++redraws;
  let text: string;
  try {
    const page = await fetch(location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
    if (!page.ok) return;
    text = await page.text();
  } catch {
    return; // the page is being left or the network is down: the scan itself was answered
  }
  if (mine !== redraws) return;
  const doc = new DOMParser().parseFromString(text, 'text/html');
  for (const sel of selectors) {
    const fresh = doc.querySelector(sel);
    const here = document.querySelector(sel);
    if (fresh && here) here.innerHTML = fresh.innerHTML;
  }
}
