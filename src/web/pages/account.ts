import { AppError } from '../../lib/errors';
import { ROLES } from '../../modules/users/roles';
import { listUsers } from '../../modules/users/users.service';
import { html } from '../html';
import { LANGS, type MessageKey } from '../i18n';
import { layout } from '../layout';
import type { PageHandler } from '../web.router';

export const accountPage: PageHandler = (_req, { i, session }) => {
  const body = html`
<div class="grid2">
<section class="panel"><h2>${i.t('account.language')}</h2>
  <form method="post" action="/account/language" class="stack">
    <input type="hidden" name="_csrf" value="${session.csrfToken}">
    <fieldset><legend class="sr-only">${i.t('account.language')}</legend>
    ${LANGS.map(
      (l) =>
        html`<label class="radio"><input type="radio" name="lang" value="${l}"${l === i.lang ? html` checked` : ''}> <span lang="${l}">${i.t(`lang.${l}` as MessageKey)}</span></label>`,
    )}</fieldset>
    <button class="btn primary" type="submit">${i.t('account.save')}</button>
  </form>
</section>
<section class="panel"><h2>${i.t('account.password')}</h2>
  <form id="password-form" class="stack" data-api="/api/v1/users/me/password" data-success="account.passwordChanged">
    <label for="pw-current">${i.t('account.current')}</label><input id="pw-current" name="currentPassword" type="password" autocomplete="current-password" required>
    <label for="pw-new">${i.t('account.new')}</label><input id="pw-new" name="newPassword" type="password" autocomplete="new-password" required minlength="10">
    <p class="muted">${i.t('account.rules')}</p>
    <button class="btn primary" type="submit">${i.t('account.change')}</button>
    <p class="form-msg" role="status" aria-live="polite"></p>
  </form>
</section>
</div>
<section class="panel"><h2>${i.t('account.who')}</h2><table class="kv">
<tr><th scope="row">${i.t('signin.username')}</th><td>${session.user.username}</td></tr>
<tr><th scope="row">${i.t('account.role')}</th><td>${i.t(`role.${session.user.role}` as MessageKey)}</td></tr>
</table></section>`;
  return layout(i, session, { title: i.t('nav.account'), body, strings: ['account.'] });
};

export const usersPage: PageHandler = (_req, { i, session }, ctx) => {
  if (session.user.role !== 'admin') throw new AppError('forbidden', 'users are managed by an administrator');
  const users = listUsers(ctx.db);
  const body = html`
<details class="subform"><summary class="btn primary">${i.t('users.new')}</summary>
<form id="user-form" class="grid-form" data-api="/api/v1/users" data-reload="1">
  <div class="field"><label for="u-name">${i.t('signin.username')}</label><input id="u-name" name="username" required maxlength="64" pattern="[a-z0-9][a-z0-9._\\-]*"></div>
  <div class="field"><label for="u-display">${i.t('users.displayName')}</label><input id="u-display" name="displayName" maxlength="200"></div>
  <div class="field"><label for="u-role">${i.t('account.role')}</label><select id="u-role" name="role">${ROLES.map((r) => html`<option value="${r}">${i.t(`role.${r}`)}</option>`)}</select></div>
  <div class="field"><button class="btn primary" type="submit">${i.t('users.create')}</button></div>
  <p class="form-msg" role="status" aria-live="polite"></p>
</form></details>
<div class="table-wrap"><table>
<thead><tr><th>${i.t('signin.username')}</th><th>${i.t('users.displayName')}</th><th>${i.t('account.role')}</th><th>${i.t('users.state')}</th><th>${i.t('users.resetPassword')}</th></tr></thead>
<tbody>${users.map(
    (
      u,
    ) => html`<tr><td class="mono">${u.username}</td><td>${u.displayName}</td><td>${i.t(`role.${u.role}` as MessageKey)}</td><td>${u.disabled ? i.t('users.disabled') : i.t('users.active')}</td>
  <td><form class="inline-form" data-api="/api/v1/users/${u.id}/password" data-success="users.passwordSet">
    <label class="sr-only" for="pw-${u.id}">${i.t('users.newPasswordFor', { user: u.username })}</label>
    <input id="pw-${u.id}" name="password" type="password" autocomplete="new-password" required minlength="10" placeholder="${i.t('account.new')}">
    <button class="btn" type="submit">${i.t('users.set')}</button><span class="form-msg" role="status" aria-live="polite"></span></form></td></tr>`,
  )}</tbody></table></div>`;
  return layout(i, session, { title: i.t('nav.users'), active: 'users', body, strings: ['users.'] });
};
