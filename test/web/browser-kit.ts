import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Download, type Page } from 'playwright-core';
import { type ExpectStatic, expect as globalExpect } from 'vitest';
import { i18n, type Lang, type MessageKey } from '../../src/web/i18n';
import { auth, type TestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { makeItem, makeSeizure } from '../items/fixtures';
import { givePasswords, PASSWORD } from './helpers';

/**
 * What the chromium tests share: one headless browser for the file, a server per flow's own
 * database, a signed-in context per user, and the catalogue of the flow's language, so a test
 * finds what it clicks by label, role or test id and reads messages in that language.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SCREENS = join(tmpdir(), 'custody-screens');
/** Screenshots cost the suite CPU: taken when CUSTODY_SCREENS=1 (for a person to look at them). */
export const TAKE_SCREENS = process.env.CUSTODY_SCREENS === '1';

export function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENS, { recursive: true });
  return chromium.launch({
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
}

/** EV2600000014 → EV-26-0000001-4, as labels print it and pages show it. */
export const printedEv = (ev: string) => ev.replace(/^EV(\d\d)(\d{7})(\d)$/, 'EV-$1-$2-$3');

export interface Flow {
  t: TestApp;
  lang: Lang;
  base: string;
  /** The flow language's catalogue text. */
  L(key: MessageKey, params?: Record<string, string | number>): string;
  /** A fresh context signed in through the sign-in form, in the flow's language. */
  as(username: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** A context with no session (the sign-in page). */
  anonymous(): Promise<Page>;
  screenshot(page: Page, name: string, fullPage?: boolean): Promise<void>;
  /** Closes the flow's contexts and server; fails if a page threw. */
  end(): Promise<void>;
}

const USERS = ['clerk', 'supervisor', 'prosecutor', 'auditor', 'admin'] as const;

/** Serves `t` on a free port and opens its users' passwords; one per test, so ledger heads are the test's own. */
export async function startFlow(
  browser: Browser,
  t: TestApp,
  lang: Lang,
  expect: ExpectStatic = globalExpect,
): Promise<Flow> {
  await givePasswords(t, [...USERS]);
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  const i = i18n(lang);
  const L = (key: MessageKey, params?: Record<string, string | number>) => i.t(key, params);

  async function newPage(who: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: lang, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
    return page;
  }

  return {
    t,
    lang,
    base,
    L,
    async as(username, viewport) {
      const page = await newPage(username, viewport);
      await page.goto(`${base}/signin?lang=${lang}`);
      await page.getByLabel(L('signin.username')).fill(username);
      await page.getByLabel(L('signin.password')).fill(PASSWORD);
      await page.getByRole('button', { name: L('signin.submit') }).click();
      await page.waitForURL(`${base}/`);
      return page;
    },
    anonymous: () => newPage('anonymous'),
    async screenshot(page, name, fullPage = true) {
      if (TAKE_SCREENS) await page.screenshot({ path: join(SCREENS, `${name}-${lang}.png`), fullPage });
    },
    async end() {
      for (const c of contexts) await c.close().catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
      expect(errors).toEqual([]);
    },
  };
}

/** A saved download's bytes, checked to be a PDF; with its page count from pdfinfo. */
export async function pdfOf(download: Download): Promise<{ bytes: Buffer; pages: number; name: string }> {
  const path = await download.path();
  const bytes = readFileSync(path);
  globalExpect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return { bytes, pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), name: download.suggestedFilename() };
}

export const pdfText = async (download: Download) =>
  execFileSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' });

/** Clicks and waits for the download it starts. */
export async function downloadOf(page: Page, click: () => Promise<unknown>): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return download;
}

export interface Place {
  code: string;
  path: string;
}

/** A case, its seizure, a warehouse and shelves, through the API with tokens (fast). */
export async function seedWarehouse(t: TestApp, shelves: string[]) {
  const c = await makeCase(t, { title: 'Незаконный майнинг, Экибастуз' });
  const where = { caseId: c.id, seizureId: (await makeSeizure(t, c.id)).id };
  const place = async (body: object): Promise<Place> => {
    const made = await t.http.post('/api/v1/locations').set(auth(t.tokens.clerk)).send(body);
    if (made.status !== 201) throw new Error(`location: ${made.status} ${JSON.stringify(made.body)}`);
    const got = await t.http.get(`/api/v1/locations/${made.body.code}`).set(auth(t.tokens.clerk));
    return { code: made.body.code, path: got.body.path };
  };
  const warehouse = await place({ kind: 'warehouse', name: 'Склад Экибастуз' });
  const places: Place[] = [];
  for (const name of shelves) places.push(await place({ kind: 'shelf', name, parentCode: warehouse.code }));
  return { where, caseNumber: c.number, warehouse, shelves: places };
}

/** `n` items registered and received onto `shelf` by the clerk; their evidence numbers. */
export async function stock(
  t: TestApp,
  where: { caseId: string; seizureId: string },
  shelf: Place,
  n: number,
  fields: Record<string, unknown> = {},
): Promise<string[]> {
  const evs: string[] = [];
  for (let k = 0; k < n; k++) {
    const item = await makeItem(t, where, fields);
    const got = await t.http
      .post(`/api/v1/items/${item.evidenceNo}/events`)
      .set(auth(t.tokens.clerk))
      .send({ type: 'received', locationCode: shelf.code });
    if (got.status !== 201) throw new Error(`received: ${got.status} ${JSON.stringify(got.body)}`);
    evs.push(item.evidenceNo);
  }
  return evs;
}
