import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutTokens } from '../../src/web/web.auth';
import { makeTestApp } from '../helpers/app';
import { givePasswords, signIn } from './helpers';

const t = makeTestApp();

beforeAll(async () => {
  await givePasswords(t, ['clerk', 'prosecutor', 'auditor']);
});

describe('GET /scan', () => {
  it.each(['prosecutor', 'auditor'] as const)(
    'is a 403 page for a %s, with no scan input and no Confirm',
    async (role) => {
      const { agent } = await signIn(t, `${role}1`);
      const res = await agent.get('/scan').set('Accept', 'text/html');
      expect(res.status).toBe(403);
      expect(res.text).toContain('Your role may not do this.');
      expect(res.text).not.toContain('id="scan-input"');
      expect(res.text).not.toContain('id="scan-confirm"');
    },
  );

  it('is the scan session for a clerk', async () => {
    const { agent } = await signIn(t, 'clerk1');
    const res = await agent.get('/scan').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="scan-confirm"');
  });
});

describe('the redirect to sign-in', () => {
  it('keeps the page to come back to but drops a token-shaped query parameter', async () => {
    const token = `cdy_${'A1b2C3d4'.repeat(5)}`;
    const res = await request(t.app)
      .get(`/items/EV2600000014?t=${token}&tab=history`)
      .set('Accept', 'text/html');
    expect(res.status).toBe(303);
    const location = res.headers.location as string;
    expect(location).not.toMatch(/cdy/i);
    const next = new URL(location, 'http://x').searchParams.get('next');
    expect(next).toBe('/items/EV2600000014?tab=history');
  });

  it('leaves a URL without a token as it was', async () => {
    const res = await request(t.app).get('/cases?q=%D0%B4%D0%B5%D0%BB%D0%BE').set('Accept', 'text/html');
    expect(new URL(res.headers.location as string, 'http://x').searchParams.get('next')).toBe(
      '/cases?q=%D0%B4%D0%B5%D0%BB%D0%BE',
    );
  });

  it('drops percent-encoded token shapes too', () => {
    expect(withoutTokens('/items/EV2600000014?token=cdy%5Fabcdefghijklmnop')).toBe('/items/EV2600000014');
    expect(withoutTokens('/x?a=1&k=CDY_zzzzzzzzzzzzz&b=2')).toBe('/x?a=1&b=2');
  });
});
