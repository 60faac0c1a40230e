import { AppError } from '../../lib/errors';
import { allows } from '../../modules/users/roles';
import { html } from '../html';
import { layout } from '../layout';
import type { PageHandler } from '../web.router';

/** The scan session: a location, then items; each scan answers at once; one request writes the batch. */
export const scanPage: PageHandler = (_req, { i, session }) => {
  if (!allows('write', session.user.role))
    throw new AppError('forbidden', 'a scan session records custody events: it needs the write permission');
  const body = html`
<div class="scan-layout">
<section class="panel scan-main">
  <form id="scan-form" autocomplete="off">
    <label for="scan-input" class="big-label">${i.t('scan.prompt')}</label>
    <div class="scan-row">
      <input id="scan-input" class="scan-input mono" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40" aria-describedby="scan-help" autofocus>
      <button type="submit" class="btn">${i.t('scan.enter')}</button>
      <button type="button" class="btn" id="camera-btn">${i.t('scan.camera')}</button>
    </div>
    <p id="scan-help" class="muted">${i.t('scan.help')}</p>
  </form>
  <div id="camera" class="camera" hidden><video id="camera-video" playsinline muted></video><button type="button" class="btn" id="camera-stop">${i.t('scan.cameraStop')}</button></div>
  <div id="scan-target" class="scan-target" aria-live="polite"><span class="muted">${i.t('scan.noLocation')}</span></div>
  <div id="scan-feedback" class="feedback" role="status" aria-live="assertive"></div>
</section>
<section class="panel scan-list">
  <h2>${i.t('scan.pending')} <span id="scan-count" class="count">0</span></h2>
  <table><thead><tr><th>${i.t('item.evidenceNo')}</th><th>${i.t('scan.from')}</th><th>${i.t('scan.action')}</th><th></th></tr></thead><tbody id="scan-rows"></tbody></table>
  <div class="actions">
    <button type="button" class="btn primary" id="scan-confirm" disabled>${i.t('scan.confirm')}</button>
    <button type="button" class="btn" id="scan-clear">${i.t('scan.clear')}</button>
  </div>
  <div id="scan-result" role="status" aria-live="polite"></div>
</section>
</div>`;
  return layout(i, session, {
    title: i.t('nav.scan'),
    active: 'scan',
    body,
    scripts: ['scan'],
    strings: ['scan.', 'status.'],
  });
};
