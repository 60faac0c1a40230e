/// <reference lib="dom" />
import { beep } from './beep';
import { api, formJson, guardedSubmit, problemText, redraw, say, strings, t } from './lib';

const s = strings();
const { id } = JSON.parse(document.getElementById('disposal-data')?.textContent ?? '{}') as { id: string };

// At the site: each item scanned as it is destroyed (or handed over).
const scanForm = document.getElementById('site-scan') as HTMLFormElement | null;
const feedback = document.getElementById('scan-feedback');
scanForm?.addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = scanForm.querySelector('input') as HTMLInputElement;
  const code = input.value.trim();
  input.value = '';
  input.focus();
  if (!code) return;
  const res = await api<{ evidenceNo?: string; printed?: string; outcome?: string }>(
    'POST',
    `/api/v1/disposals/${id}/items`,
    { json: { code } },
  );
  if (!feedback) return;
  if (res.ok) {
    feedback.className = 'feedback f-ok';
    feedback.textContent = t(s, 'disp.scanned', { ev: String(res.body.printed ?? code) });
    beep('ok');
    // The batch's counts and the item's row (now "scanned") as the service has them.
    await redraw(['#disposal-summary', '#disposal-items']);
  } else {
    feedback.className = 'feedback f-error';
    feedback.textContent = problemText(s, res.body);
    beep('error');
  }
});

// Completion: witnesses are users (checked) and, optionally, one from outside with name, title, agency.
const complete = document.getElementById('complete-form') as HTMLFormElement | null;
if (complete) {
  complete.removeAttribute('data-api');
  guardedSubmit(complete, async (key) => {
    const body = formJson(complete) as Record<string, unknown> & {
      ext?: { name?: string; title?: string; agency?: string };
    };
    const witnesses = ((body.witnesses as string[] | undefined) ?? []).map((user) => ({ user }));
    if (body.ext?.name)
      witnesses.push({
        name: body.ext.name,
        title: body.ext.title ?? '',
        agency: body.ext.agency ?? '',
      } as never);
    delete body.ext;
    body.witnesses = witnesses;
    const res = await api('POST', `/api/v1/disposals/${id}/complete`, { json: body, key });
    const msg = complete.querySelector('.form-msg');
    if (!res.ok) {
      say(msg, problemText(s, res.body), 'error');
      return false;
    }
    location.reload();
    return true;
  });
}
