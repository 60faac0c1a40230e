import type { TestApp } from './app';
import { auth } from './app';

let caseCounter = 0;

export function caseBody(overrides: Record<string, unknown> = {}) {
  caseCounter += 1;
  return {
    number: `${caseCounter}/${100 + caseCounter}-2022`,
    title: 'Illegal mining farm, Ekibastuz',
    legalBasis: 'Criminal Code art. 214 (illegal business activity)',
    agency: 'Financial Monitoring Agency',
    openedOn: '2022-03-01',
    ...overrides,
  };
}

/** Opens a case through the API as the clerk; returns its body. */
export async function makeCase(t: TestApp, overrides: Record<string, unknown> = {}) {
  const res = await t.http.post('/api/v1/cases').set(auth(t.tokens.clerk)).send(caseBody(overrides));
  if (res.status !== 201) throw new Error(`makeCase: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; number: string; status: string };
}
