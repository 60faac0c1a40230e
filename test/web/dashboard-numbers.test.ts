import { beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../helpers/app';
import { type Agent, csrfOf, givePasswords, signIn } from './helpers';

const t = makeTestApp();
let clerk: Agent;

beforeAll(async () => {
  await givePasswords(t, ['clerk']);
  clerk = (await signIn(t, 'clerk1')).agent;
});

/** The data the dashboard's charts are drawn from, as the page embeds it. */
async function chartData(lang: string) {
  const csrf = await csrfOf(clerk);
  await clerk.post('/account/language').type('form').send({ _csrf: csrf, lang, back: '/' });
  const page = await clerk.get('/').set('Accept', 'text/html');
  const json = /<script type="application\/json" id="dash-data">(.*?)<\/script>/s.exec(page.text)?.[1];
  return JSON.parse(json ?? 'null') as { separators: { group: string; decimal: string } };
}

describe('GET / (dashboard charts)', () => {
  it.each([
    ['kk', '\u00a0', ','],
    ['ru', '\u00a0', ','],
    ['en', ',', '.'],
  ])(
    'gives the charts the %s digit-group and decimal separators the tables use',
    async (lang, group, decimal) => {
      expect((await chartData(lang)).separators).toEqual({ group, decimal });
    },
  );
});
