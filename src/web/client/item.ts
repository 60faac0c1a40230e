/// <reference lib="dom" />
import { api, formJson, guardedSubmit, problemText, say, strings, t } from './lib';

const data = JSON.parse(document.getElementById('item-data')?.textContent ?? '{}') as {
  evidenceNo: string;
  lastSeq: number;
};
const s = strings();

/** Custody actions: one event per form, sent with If-Match (the item as this page saw it) and an idempotency key. */
for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form[data-event]'))) {
  guardedSubmit(form, async (key) => {
    const msg = form.querySelector('.form-msg');
    const type = form.dataset.event!;
    const fields = formJson(form);
    let event: Record<string, unknown> = { type, ...fields };
    if (type === 'correction') {
      const { field, value, corrects, reason } = fields as Record<string, string>;
      const num = Number(value);
      event = {
        type,
        corrects,
        reason,
        fields: {
          [String(field)]: value !== '' && !Number.isNaN(num) && /^[\d.]+$/.test(String(value)) ? num : value,
        },
      };
    }
    const res = await api('POST', `/api/v1/items/${data.evidenceNo}/events`, {
      json: event,
      key,
      ifMatch: data.lastSeq,
    });
    if (res.ok) {
      say(msg, t(s, 'common.saved'), 'ok');
      location.reload();
      return true;
    }
    say(msg, problemText(s, res.body), 'error');
    if (res.body.code === 'item_changed') {
      const reload = document.createElement('button');
      reload.type = 'button';
      reload.className = 'btn';
      reload.textContent = t(s, 'common.reload');
      reload.addEventListener('click', () => location.reload());
      msg?.append(' ', reload);
      reload.focus();
    }
    return false;
  });
}
