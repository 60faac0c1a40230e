/// <reference lib="dom" />
import { api, formJson, guardedSubmit, problemText, say, strings, t } from './lib';

/** Forms marked `data-api` post their fields as JSON to that API path (locations, users, passwords). */
for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form[data-api]'))) {
  const s = strings();
  guardedSubmit(form, async (key) => {
    const msg = form.querySelector('.form-msg');
    const res = await api('POST', form.dataset.api!, { json: formJson(form), key });
    if (!res.ok) {
      say(msg, problemText(s, res.body), 'error');
      return false;
    }
    say(msg, t(s, form.dataset.success ?? 'common.saved'), 'ok');
    form.reset();
    const go = form.dataset.go;
    const id = (res.body as { id?: unknown }).id;
    if (go && typeof id === 'string') location.assign(go + encodeURIComponent(id));
    else if (form.dataset.reload || form.id === 'location-form') setTimeout(() => location.reload(), 400);
    return true;
  });
}
