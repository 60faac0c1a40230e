/// <reference lib="dom" />
import { beep, type Tone } from './beep';
import { api, problemText, redraw, strings, t } from './lib';

const s = strings();
const { id } = JSON.parse(document.getElementById('audit-data')?.textContent ?? '{}') as { id: string };
const form = document.getElementById('audit-scan') as HTMLFormElement;
const input = document.getElementById('audit-input') as HTMLInputElement;
const feedback = document.getElementById('scan-feedback')!;

const TONES: Record<string, Tone> = {
  location: 'location',
  expected_here: 'ok',
  expected_elsewhere: 'duplicate',
  duplicate: 'duplicate',
  checked_out: 'error',
  disposed: 'disposed',
  not_received: 'error',
  recorded_missing: 'error',
  unknown: 'error',
};
const KINDS: Record<string, string> = { location: 'location', expected_here: 'ok', duplicate: 'duplicate' };

/** The counts, discrepancy lists and places still to scan, redrawn from the server's page after each scan. */
const refresh = () => redraw(['#audit-counts', '.grid3', '#audit-unscanned']);

let queue: Promise<void> = Promise.resolve();
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const code = input.value.trim();
  input.value = '';
  input.focus();
  if (!code) return;
  queue = queue.then(async () => {
    const res = await api<{
      results?: {
        outcome: string;
        message: string;
        printed: string;
        location?: { path: string };
        expectedLocation?: { path: string };
      }[];
    }>('POST', `/api/v1/audits/${id}/scans`, { json: { code } });
    const r = res.body.results?.[0];
    if (res.ok && r) {
      feedback.className = `feedback f-${KINDS[r.outcome] ?? (TONES[r.outcome] === 'error' || TONES[r.outcome] === 'disposed' ? 'error' : 'duplicate')}`;
      const params = {
        ev: r.printed,
        where: r.location?.path ?? '',
        expected: r.expectedLocation?.path ?? '—',
      };
      const key = `audit.outcome.${r.outcome}`;
      feedback.textContent = s[key] ? t(s, key, params) : r.message;
      beep(TONES[r.outcome] ?? 'error');
    } else {
      feedback.className = 'feedback f-error';
      feedback.textContent = problemText(s, res.body);
      beep('error');
    }
    await refresh();
  });
});
input.addEventListener('blur', (e) => {
  if (!e.relatedTarget) setTimeout(() => document.activeElement === document.body && input.focus(), 0);
});
