import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LANGS, type Lang } from '../../src/web/i18n';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { makeItem, makeSeizure } from '../items/fixtures';
import { givePasswords, PASSWORD } from './helpers';

/**
 * The web app in a real browser: Debian's chromium, headless, against the real app on a real SQLite
 * file. One browser for the file, one context per user. Screenshots of every main page in each
 * language go to $TMPDIR/custody-screens for a person to look at.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM)
  console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium)`);
export const SCREENS = join(tmpdir(), 'custody-screens');

describe.skipIf(!HAVE_CHROMIUM)('the web app in chromium', () => {
  const t = makeTestApp();
  let base = '';
  let browser: Browser;
  let closeServer: () => Promise<void>;
  const where = { caseId: '', seizureId: '' };
  const loc = { warehouse: '', shelfA: '', shelfB: '', shelfC: '' };
  const evs: string[] = [];
  const onShelfC: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    await givePasswords(t, ['clerk', 'supervisor', 'prosecutor', 'auditor', 'admin']);
    const c = await makeCase(t, { title: 'Незаконный майнинг, Экибастуз' });
    where.caseId = c.id;
    where.seizureId = (await makeSeizure(t, c.id)).id;
    const post = (path: string, body: object) => t.http.post(path).set(auth(t.tokens.clerk)).send(body);
    loc.warehouse = (
      await post('/api/v1/locations', { kind: 'warehouse', name: 'Склад Экибастуз' })
    ).body.code;
    loc.shelfA = (
      await post('/api/v1/locations', { kind: 'shelf', name: 'Стеллаж A-1', parentCode: loc.warehouse })
    ).body.code;
    loc.shelfB = (
      await post('/api/v1/locations', { kind: 'shelf', name: 'Стеллаж Қ-2', parentCode: loc.warehouse })
    ).body.code;
    for (let n = 0; n < 4; n++) {
      const item = await makeItem(t, where, {
        make: 'Bitmain',
        model: 'Antminer S19 Pro',
        serialNumber: `HTX-E2E-${n}`,
      });
      await post(`/api/v1/items/${item.evidenceNo}/events`, { type: 'received', locationCode: loc.shelfA });
      evs.push(item.evidenceNo);
    }
    loc.shelfC = (
      await post('/api/v1/locations', { kind: 'shelf', name: 'Стеллаж C-3', parentCode: loc.warehouse })
    ).body.code;
    for (let n = 0; n < 3; n++) {
      const item = await makeItem(t, where, {
        category: 'psu',
        make: 'Bitmain',
        model: 'APW12',
        serialNumber: `APW-C-${n}`,
      });
      await post(`/api/v1/items/${item.evidenceNo}/events`, { type: 'received', locationCode: loc.shelfC });
      onShelfC.push(item.evidenceNo);
    }
    await post(`/api/v1/items/${evs[0]}/events`, {
      type: 'valued',
      amountMinor: 185_000_00,
      currency: 'KZT',
      method: 'market_comparison',
      appraiser: 'ТОО «Оценка-Сервис»',
      asOf: '2026-11-01',
    });
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeServer = () => new Promise((resolve) => server.close(() => resolve()));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer?.();
  });

  const contexts: BrowserContext[] = [];
  async function signedIn(
    username: string,
    lang: Lang,
    viewport = { width: 1280, height: 800 },
  ): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: lang, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    await page.goto(`${base}/signin?lang=${lang}`);
    await page
      .getByLabel(lang === 'ru' ? 'Имя пользователя' : lang === 'kk' ? 'Пайдаланушы аты' : 'Username')
      .fill(username);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password').press('Enter');
    await page.waitForURL(`${base}/`);
    return page;
  }

  it('a wrong password says so on the page', async () => {
    const context = await browser.newContext({ locale: 'ru' });
    const page = await context.newPage();
    await page.goto(`${base}/signin`);
    await page.locator('#username').fill('clerk1');
    await page.locator('#password').fill('не тот пароль');
    await page.locator('button[type=submit]').click();
    await expect
      .poll(() => page.locator('#signin-msg').textContent())
      .toContain('Неверное имя пользователя или пароль');
    await context.close();
  });

  it('a clerk imports a CSV with one bad line, fixes it, then moves items in a scan session', async () => {
    const page = await signedIn('clerk1', 'ru');
    await page.goto(`${base}/intake`);
    await page.locator('#case-select').selectOption(where.caseId);
    await expect.poll(() => page.locator('#seizure-select option').count()).toBeGreaterThan(1);
    await page.locator('#seizure-select').selectOption(where.seizureId);
    const csv = [
      'category;make;model;serial;quantity;power_w;seal_no',
      'asic_miner;MicroBT;Whatsminer M30S;M30S-E2E-1;1;3344;KZ-1',
      'asic_minr;MicroBT;Whatsminer M30S;M30S-E2E-2;1;3344;KZ-2',
      'psu;Bitmain;APW12;APW-E2E-3;1;;KZ-3',
    ].join('\n');
    await page.locator('#csv-text').fill(csv);
    const head = t.head();
    await page.locator('#csv-check').click();
    await expect.poll(() => page.locator('#csv-msg').textContent()).toContain('Строк с ошибками: 1');
    expect(await page.locator('#csv-preview tr.row-bad td.num').textContent()).toBe('3');
    expect(await page.locator('#csv-import').isDisabled()).toBe(true);
    expect(t.head()).toBe(head);
    await page.locator('#csv-text').fill(csv.replace('asic_minr', 'asic_miner'));
    await page.locator('#csv-check').click();
    await expect.poll(() => page.locator('#csv-msg').textContent()).toContain('Все строки (3) верны');
    expect(t.head()).toBe(head);
    await page.locator('#csv-import').dblclick();
    await expect.poll(() => page.locator('#done-list li').count()).toBe(3);
    expect(t.head()).toBe(head + 3);
    const imported = await page.locator('#done-list a').allTextContents();
    // Print their labels in one click: the link is a PDF of exactly these items.
    await page.locator('#label-format').selectOption('a4-l7163');
    const href = await page.locator('#print-labels').getAttribute('href');
    expect(href).toContain('format=a4-l7163');
    const pdf = await page.request.get(base + href!);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.screenshot({ path: join(SCREENS, 'intake-done-ru.png'), fullPage: true });

    await page.goto(`${base}/scan`);
    const input = page.locator('#scan-input');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('scan-input');
    const scan = async (code: string) => {
      await input.fill(code);
      await input.press('Enter');
    };
    await scan(evs[1]!);
    await expect
      .poll(() => page.locator('#scan-feedback').textContent())
      .toContain('Сначала отсканируйте место');
    await scan(loc.shelfB.replace(/^LC(\d{7})(\d)$/, 'LC-$1-$2'));
    await expect.poll(() => page.locator('#scan-feedback').textContent()).toContain('Стеллаж Қ-2');
    await scan(evs[1]!);
    await expect.poll(() => page.locator('#scan-feedback').getAttribute('class')).toContain('f-ok');
    await scan(evs[1]!.toLowerCase());
    await expect.poll(() => page.locator('#scan-feedback').getAttribute('class')).toContain('f-duplicate');
    await scan('EV2699999998'); // the right check digit, but no such item
    await expect.poll(() => page.locator('#scan-feedback').textContent()).toContain('Неизвестный предмет');
    await scan('EV2600000015'); // a mistyped check digit
    await expect.poll(() => page.locator('#scan-feedback').textContent()).toContain('контрольная цифра');
    await scan('%%garbage##');
    await expect.poll(() => page.locator('#scan-feedback').getAttribute('class')).toContain('f-error');
    await scan(imported[0]!); // printed form, not yet received: it will be received here
    await expect.poll(() => page.locator('#scan-count').textContent()).toBe('2');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('scan-input');
    await page.screenshot({ path: join(SCREENS, 'scan-session-ru.png') });
    const before = t.head();
    await page.locator('#scan-confirm').dblclick();
    await expect.poll(() => page.locator('#scan-result').textContent()).toContain('Записано: 2');
    expect(t.head()).toBe(before + 2);
    const moved = await t.http.get(`/api/v1/items/${evs[1]}`).set(auth(t.tokens.clerk));
    expect(moved.body.location.code).toBe(loc.shelfB);
    await scan(evs[1]!);
    await expect.poll(() => page.locator('#scan-feedback').getAttribute('class')).toContain('f-here');
  });

  it('a second tab acting on a moved item is told, and nothing is written twice', async () => {
    const page = await signedIn('clerk1', 'en');
    await page.goto(`${base}/items/${evs[2]}`);
    // Meanwhile a colleague moves it.
    await t.http
      .post(`/api/v1/items/${evs[2]}/events`)
      .set(auth(t.tokens.supervisor))
      .send({ type: 'moved', locationCode: loc.shelfB });
    const head = t.head();
    await page.locator('details[data-type="note"] summary').click();
    await page.locator('#note-text').fill('Seal checked on the shelf');
    await page.locator('form[data-event="note"] button[type=submit]').click();
    await expect
      .poll(() => page.locator('form[data-event="note"] .form-msg').textContent())
      .toContain('changed since you opened');
    expect(t.head()).toBe(head);
    await page.reload();
    await page.locator('details[data-type="note"] summary').click();
    await page.locator('#note-text').fill('Seal checked on the shelf');
    await page.locator('form[data-event="note"] button[type=submit]').dblclick();
    await page.waitForLoadState('load');
    await expect.poll(() => page.locator('.timeline li').first().textContent()).toContain('Seal checked');
    expect(t.head()).toBe(head + 1);
  });

  it('a prosecutor downloads a custody report and sees no write action anywhere', async () => {
    const page = await signedIn('prosecutor1', 'kk');
    for (const path of [
      '/',
      '/cases',
      `/cases/${where.caseId}`,
      `/items/${evs[0]}`,
      '/locations',
      `/locations/${loc.shelfA}`,
      '/disposals',
      '/audits',
    ]) {
      await page.goto(base + path);
      expect(
        await page.locator('form[data-event], form[data-api], a[href="/intake"], a[href="/scan"]').count(),
        path,
      ).toBe(0);
      expect(await page.locator('button.primary').count(), path).toBe(0);
    }
    await page.goto(`${base}/items/${evs[0]}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="custody-report"]').click(),
    ]);
    const file = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file!).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a supervisor approves a disposal that a clerk proposed', async () => {
    const clerk = await signedIn('clerk1', 'ru');
    await clerk.goto(`${base}/disposals`);
    await clerk.locator('#propose-form').evaluate((f) => f.closest('details')!.setAttribute('open', ''));
    await clerk.locator('#p-disposition').selectOption('destroy');
    await clerk.locator('#p-number').fill('2-1187/2026');
    await clerk.locator('#p-date').fill('2026-11-20');
    await clerk.locator('#p-issuer').fill('Экибастузский городской суд');
    await clerk.locator('#p-items').fill(evs[3]!);
    await clerk.locator('#propose-form button[type=submit]').click();
    await clerk.waitForURL(/\/disposals\/[^/]+$/);
    const id = decodeURIComponent(clerk.url().split('/').pop()!);
    expect(await clerk.locator('#disposal-actions').textContent()).toContain('Отозвать');
    expect(await clerk.locator('#approve-btn').count()).toBe(0);

    const supervisor = await signedIn('supervisor1', 'en');
    await supervisor.goto(`${base}/disposals`);
    await supervisor.locator(`a[href="/disposals/${id}"]`).click();
    await supervisor.waitForURL(`${base}/disposals/${id}`);
    const head = t.head();
    await supervisor.locator('#approve-btn').dblclick();
    await expect.poll(() => supervisor.locator('.lead').textContent()).toContain('Approved');
    const d = await t.http.get(`/api/v1/disposals/${id}`).set(auth(t.tokens.prosecutor));
    expect(d.body.status).toBe('approved');
    expect(d.body.decidedBy.id).toBe(t.userIds.supervisor);
    expect(t.head()).toBe(head + 2); // disposal_approved and the item's disposal_authorised
    await supervisor.screenshot({ path: join(SCREENS, 'disposal-approved-en.png'), fullPage: true });
  });

  it('an auditor audits a shelf and finds the missing item', async () => {
    const page = await signedIn('auditor1', 'kk');
    await page.goto(`${base}/audits`);
    await page.locator('#audit-form').evaluate((f) => f.closest('details')!.setAttribute('open', ''));
    await page.locator('#a-location').selectOption(loc.shelfC);
    await page.locator('#a-title').fill('Стеллаж C-3: тексеру');
    await page.locator('#audit-form button[type=submit]').click();
    await page.waitForURL(/\/audits\/[^/]+$/);
    const input = page.locator('#audit-input');
    const scan = async (code: string) => {
      await input.fill(code);
      await input.press('Enter');
    };
    await scan(loc.shelfC);
    await expect.poll(() => page.locator('#scan-feedback').getAttribute('class')).toContain('f-location');
    await scan(onShelfC[0]!);
    await expect.poll(() => page.locator('[data-count="audit.foundCount"]').textContent()).toBe('1');
    await scan(onShelfC[2]!);
    await expect.poll(() => page.locator('[data-count="audit.foundCount"]').textContent()).toBe('2');
    await scan(onShelfC[2]!);
    await expect.poll(() => page.locator('#scan-feedback').getAttribute('class')).toContain('f-duplicate');
    await page.screenshot({ path: join(SCREENS, 'audit-scanning-kk.png'), fullPage: true });
    await page.locator('#close-audit').click();
    await expect.poll(() => page.locator('.lead').textContent(), { timeout: 10_000 }).toContain('Аяқталды');
    await expect
      .poll(() => page.locator('#disc-missing').textContent())
      .toContain(onShelfC[1]!.replace(/^EV(\d\d)(\d{7})(\d)$/, 'EV-$1-$2-$3'));
    expect(await page.locator('#disc-missing tbody tr').count()).toBe(1);
    await page.screenshot({ path: join(SCREENS, 'audit-closed-kk.png'), fullPage: true });
    await page.goto(`${base}/audits`);
    expect(await page.locator('#unable-to-locate').textContent()).toContain(
      onShelfC[1]!.replace(/^EV(\d\d)(\d{7})(\d)$/, 'EV-$1-$2-$3'),
    );
    const item = await t.http.get(`/api/v1/items/${onShelfC[1]}`).set(auth(t.tokens.prosecutor));
    expect(item.body.status).toBe('missing');
  });

  it('screens: every main page in each language, at 1280×800 and on a phone', async () => {
    for (const lang of LANGS) {
      const page = await signedIn('supervisor1', lang);
      const pages: [string, string][] = [
        ['dashboard', '/'],
        ['cases', '/cases'],
        ['case', `/cases/${where.caseId}`],
        ['item', `/items/${evs[0]}`],
        ['scan', '/scan'],
        ['intake', '/intake'],
        ['locations', '/locations'],
        ['account', '/account'],
        ['disposals', '/disposals'],
        ['audits', '/audits'],
        ['labels', `/labels?caseId=${where.caseId}`],
      ];
      for (const [name, path] of pages) {
        await page.goto(base + path);
        await page.waitForLoadState('networkidle');
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await page.screenshot({ path: join(SCREENS, `${name}-${lang}.png`), fullPage: name !== 'dashboard' });
      }
      await page.context().close();
    }
    const phone = await signedIn('clerk1', 'ru', { width: 390, height: 844 });
    for (const [name, path] of [
      ['scan', '/scan'],
      ['item', `/items/${evs[0]}`],
      ['dashboard', '/'],
    ] as const) {
      await phone.goto(base + path);
      await phone.waitForLoadState('networkidle');
      await phone.screenshot({ path: join(SCREENS, `phone-${name}-ru.png`) });
    }
    const signin = await browser.newPage({ locale: 'kk' });
    await signin.goto(`${base}/signin`);
    await signin.screenshot({ path: join(SCREENS, 'signin-kk.png') });
    await signin.close();
  });

  it('is usable with the keyboard alone: skip link, visible focus, Tab order through the menu', async () => {
    const page = await signedIn('clerk1', 'en');
    await page.goto(`${base}/cases`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Custody Ledger');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/`);
  });
});
