import { routes } from '../modules/routes';
import { allows, type Permission } from '../modules/users/roles';
import { html, jsonScript, type SafeHtml } from './html';
import { type I18n, LANGS, type MessageKey } from './i18n';
import { clientStrings } from './pages/client-strings';
import type { Session } from './sessions';

/** A page exists in the menu only when the API it drives is mounted (labels, disposals, audits land separately). */
export const hasApi = (prefix: string) => routes.some((r) => r.path.startsWith(prefix));

interface NavEntry {
  href: string;
  key: MessageKey;
  id: string;
  permission: Permission;
  api?: string;
}

const NAV: NavEntry[] = [
  { href: '/', key: 'nav.dashboard', id: 'dashboard', permission: 'read' },
  { href: '/cases', key: 'nav.cases', id: 'cases', permission: 'read' },
  { href: '/intake', key: 'nav.intake', id: 'intake', permission: 'write' },
  { href: '/scan', key: 'nav.scan', id: 'scan', permission: 'write' },
  { href: '/locations', key: 'nav.locations', id: 'locations', permission: 'read' },
  { href: '/labels', key: 'nav.labels', id: 'labels', permission: 'read', api: '/labels' },
  { href: '/disposals', key: 'nav.disposals', id: 'disposals', permission: 'read', api: '/disposals' },
  { href: '/audits', key: 'nav.audits', id: 'audits', permission: 'read', api: '/audits' },
  { href: '/users', key: 'nav.users', id: 'users', permission: 'admin' },
];

export interface PageSpec {
  title: string;
  active?: string;
  body: SafeHtml;
  /** Extra script bundles (besides app.js), by name under /assets/. */
  scripts?: string[];
  /** Catalogue key prefixes the page's script needs (besides error. and common.). */
  strings?: string[];
}

export function layout(i: I18n, session: Session, page: PageSpec): string {
  const role = session.user.role;
  const nav = NAV.filter((n) => allows(n.permission, role) && (!n.api || hasApi(n.api)));
  return document(
    i,
    page.title,
    session.csrfToken,
    page.scripts ?? [],
    html`
<a class="skip" href="#main">${i.t('nav.skip')}</a>
<header class="top">
  <a class="brand" href="/">${i.t('app.name')}</a>
  <nav aria-label="${i.t('nav.main')}">
    <ul>${nav.map(
      (n) =>
        html`<li><a href="${n.href}"${page.active === n.id ? html` aria-current="page"` : ''}>${i.t(n.key)}</a></li>`,
    )}</ul>
  </nav>
  <div class="who">
    <a href="/account" title="${i.t('nav.account')}">${session.user.displayName}</a>
    <span class="role">${i.t(`role.${role}` as MessageKey)}</span>
    <form method="post" action="/signout">
      <input type="hidden" name="_csrf" value="${session.csrfToken}">
      <button type="submit" class="link">${i.t('nav.signout')}</button>
    </form>
  </div>
</header>
<main id="main" tabindex="-1">
<h1>${page.title}</h1>
${page.body}
</main>
${jsonScript('strings', clientStrings(i, ['error.', 'common.', ...(page.strings ?? [])]))}`,
  );
}

/** The bare document: no session (the sign-in page) or with one (layout). */
export function document(
  i: I18n,
  title: string,
  csrf: string | null,
  scripts: string[],
  body: SafeHtml,
): string {
  return `<!doctype html>${html`<html lang="${i.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${i.t('app.name')}</title>
${csrf ? html`<meta name="csrf-token" content="${csrf}">` : ''}
<meta name="lang" content="${i.lang}">
<link rel="stylesheet" href="/assets/app.css">
<link rel="icon" href="data:,">
</head>
<body>
${body}
<script type="module" src="/assets/app.js"></script>
${scripts.map((s) => html`<script type="module" src="/assets/${s}.js"></script>`)}
</body>
</html>`}`;
}

export function langSwitch(i: I18n, hrefFor: (lang: string) => string): SafeHtml {
  return html`<ul class="langs" aria-label="${i.t('account.language')}">${LANGS.map(
    (l) =>
      html`<li><a href="${hrefFor(l)}" lang="${l}"${l === i.lang ? html` aria-current="true"` : ''}>${i.t(`lang.${l}` as MessageKey)}</a></li>`,
  )}</ul>`;
}

/** A status as a coloured chip. */
export const statusChip = (i: I18n, status: string) =>
  html`<span class="chip s-${status}">${i.t(`status.${status}` as MessageKey)}</span>`;
