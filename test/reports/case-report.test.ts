import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical';
import { type CaseItem, type CaseReportHead, canonicalCaseItem } from '../../src/modules/reports/case.report';
import { auth, makeTestApp, type TestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeSeizure } from '../items/fixtures';
import { expectEventsPrinted, makeRichItem, pdfOrProblem } from './fixtures';
import { attachment, pdfFile, pdfText, qpdfCheck, squash } from './pdf-tools';

const t = makeTestApp();
const rich = await makeRichItem(t);
const caseId = (
  t.app.locals.ctx.db.sqlite
    .prepare('SELECT case_id AS c FROM items WHERE evidence_no = ?')
    .get(rich.evidenceNo) as { c: string }
).c;
const second = await makeSeizure(t, caseId, { farmName: 'ТОО «Сарыарқа Майнинг»', estimatedLoadKw: 1500 });
for (const serial of ['GPU-001', 'GPU-002']) {
  const res = await t.http.post('/api/v1/items').set(auth(t.tokens.clerk)).send({
    caseId,
    seizureId: second.id,
    category: 'gpu_rig',
    make: 'Custom',
    model: '8× RTX 3070',
    serialNumber: serial,
    powerW: 1800,
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
}

async function caseReport(t: TestApp, id: string, query = '') {
  const res = await t.http
    .get(`/api/v1/cases/${id}/report.pdf${query}`)
    .set(auth(t.tokens.prosecutor))
    .set('Host', 'custody.example:3000')
    .buffer(true)
    .parse(pdfOrProblem);
  // The fingerprint and page count are known once the document is: they follow it as trailers.
  const trailers = (res as unknown as { res: IncomingMessage }).res.trailers;
  return Object.assign(res, { trailers });
}

/** Runs curl with `args` and gives its output. */
function curl(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile('curl', args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, out) =>
      err ? reject(err) : resolve(out),
    ),
  );
}

type CasePayload = CaseReportHead & { items: CaseItem[] };

function opened(body: Buffer) {
  const path = pdfFile(body);
  const canonical = attachment(path, 'payload.json');
  return { path, canonical, payload: JSON.parse(canonical) as CasePayload, text: squash(pdfText(path)) };
}

describe('GET /cases/:caseId/report.pdf', () => {
  it('streams a valid PDF/A-3: the summary, then every item with every event, its payload inside', async () => {
    const res = await caseReport(t, caseId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers.trailer).toBe('X-Report-Fingerprint, X-Report-Pages');
    expect(res.headers['x-report-fingerprint']).toBeUndefined();
    const { path, canonical, payload, text } = opened(res.body);
    expect(qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    const fingerprint = createHash('sha256').update(canonical).digest('hex');
    expect(res.trailers['x-report-fingerprint']).toBe(fingerprint);
    const pages = Number(execFileSync('pdfinfo', [path], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(res.trailers['x-report-pages']).toBe(String(pages));
    // Every page's footer, painted once the count and the fingerprint were known, on its own page.
    for (let i = 1; i <= pages; i++) {
      const page = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), '-layout', path, '-'], {
        encoding: 'utf8',
      });
      expect(page).toMatch(
        new RegExp(
          `Checkpoint \\d+ · fingerprint ${fingerprint.slice(0, 16)}….*Page ${i} of ${pages}\\s*$`,
          'm',
        ),
      );
    }
    expect(payload.items.map((i) => i.evidenceNo)).toHaveLength(3);
    for (const item of payload.items) {
      expect(text).toContain(squash(item.line));
      expectEventsPrinted(text, item.events);
    }
    for (const words of [
      'Ферма «Қуат»',
      'ТОО «Сарыарқа Майнинг»',
      '5,700 kW, 136.8 MWh/day',
      'gpu rig',
      'Open check-outs',
    ])
      expect(text).toContain(squash(words));
    expect(payload.summary.totals).toContainEqual(['Items', '3']);
  });

  it('writes each item with JSON.stringify exactly as RFC 8785 would', async () => {
    const { payload } = opened((await caseReport(t, caseId)).body);
    for (const item of payload.items) expect(canonicalCaseItem(item)).toBe(canonicalJson(item));
  });

  it('gives the same bytes when asked again, and tells what it was made of', async () => {
    const a = await caseReport(t, caseId);
    const b = await caseReport(t, caseId);
    expect(Buffer.compare(a.body, b.body)).toBe(0);
    const fingerprint = a.trailers['x-report-fingerprint'];
    const made = await t.http.get(`/api/v1/reports/${fingerprint}`).set(auth(t.tokens.auditor));
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ kind: 'case_custody', parameters: { caseId, format: 'full' } });
    expect(made.body.payload).toEqual(opened(a.body).payload);
  });

  it('filters by seizure, category and status, and gives the summary alone', async () => {
    const bySeizure = opened((await caseReport(t, caseId, `?seizureId=${second.id}`)).body);
    expect(bySeizure.payload.items).toHaveLength(2);
    expect(bySeizure.payload.summary.seizures).toHaveLength(1);
    const byCategory = opened((await caseReport(t, caseId, '?category=asic_miner')).body);
    expect(byCategory.payload.items.map((i) => i.evidenceNo)).toEqual([rich.evidenceNo]);
    const byStatus = opened((await caseReport(t, caseId, '?status=registered')).body);
    expect(byStatus.payload.items).toHaveLength(2);
    // A filtered report says so, in its title block and its summary; the whole case says that too.
    expect(byStatus.text).toContain(squash('Items in this report 2 of 3 items of the case'));
    expect(byStatus.text).toContain(squash('Only items with status registered'));
    expect(byStatus.text).toContain(squash('Summary of the selected items only: with status registered'));
    expect(bySeizure.text).toContain(
      squash(`Only items of the seizure at ТОО «Сарыарқа Майнинг» (${second.id})`),
    );
    expect(byCategory.text).toContain(squash('Only items of category asic miner'));
    const whole = opened((await caseReport(t, caseId)).body);
    expect(whole.text).toContain(squash('The whole case: every item, no filter'));
    expect(whole.text).toContain(squash('Summary of the whole case'));
    const summary = opened((await caseReport(t, caseId, '?format=summary')).body);
    expect(summary.payload.items).toEqual([]);
    expect(summary.text).not.toContain(squash('Items and their custody history'));
    expect(summary.text).toContain(squash('Items by category'));
  });

  it('makes a short valid report of a case with no items', async () => {
    const empty = await makeCase(t);
    const res = await caseReport(t, empty.id);
    expect(res.status).toBe(200);
    const { path, payload, text } = opened(res.body);
    expect(qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    expect(payload.items).toEqual([]);
    expect(text).toContain(squash('No items in this case match'));
    expect(Number(res.trailers['x-report-pages'])).toBeLessThanOrEqual(2);
  });

  it('stops drawing when the client goes away, and records no report that was not made', async () => {
    const big = await makeCase(t);
    const s = await makeSeizure(t, big.id);
    const rows = Array.from({ length: 400 }, (_, i) => ({
      category: 'gpu_rig',
      make: 'Custom',
      model: '6× RTX 3070 open frame',
      serialNumber: `RIG-GONE-${String(i + 1).padStart(4, '0')}`,
    }));
    const imported = await t.http
      .post(`/api/v1/items/import?caseId=${big.id}&seizureId=${s.id}`)
      .set(auth(t.tokens.clerk))
      .send(rows);
    expect(imported.status).toBe(201);
    t.app.locals.ctx.ledger.checkpoint();
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const before = t.head();
      // The file's first bytes come before any page is drawn; the client hangs up on them.
      const got = await new Promise<{ status: number; trailer: string | undefined }>((resolve, reject) => {
        const req = get(
          {
            port,
            path: `/api/v1/cases/${big.id}/report.pdf`,
            headers: { authorization: `Bearer ${t.tokens.prosecutor}` },
          },
          (res) => {
            res.once('data', (c: Buffer) => {
              expect(c.subarray(0, 5).toString()).toBe('%PDF-');
              req.destroy();
              resolve({ status: res.statusCode ?? 0, trailer: res.headers.trailer });
            });
          },
        );
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      });
      expect(got).toEqual({ status: 200, trailer: 'X-Report-Fingerprint, X-Report-Pages' });
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 100));
      expect(t.head()).toBe(before);
      // Asked again and read to the end, it is made and recorded.
      const whole = await caseReport(t, big.id);
      expect(whole.status).toBe(200);
      expect(Number(whole.trailers['x-report-pages'])).toBeGreaterThan(10);
      expect(t.head()).toBe(before + 1);
    } finally {
      server.close();
    }
  });

  it('refuses an unknown case, a seizure of another case and a bad filter, writing nothing', async () => {
    const other = await makeCase(t);
    const before = t.head();
    expectProblem(await caseReport(t, 'case_nope'), 404, 'case_not_found');
    expectProblem(await caseReport(t, other.id, `?seizureId=${second.id}`), 404, 'seizure_not_found');
    expectProblem(await caseReport(t, caseId, '?category=spaceship'), 400, 'validation_failed');
    expectProblem(await caseReport(t, caseId, '?format=long'), 400, 'validation_failed');
    expect(t.head()).toBe(before);
  });

  it('answers HEAD with its headers and the same refusals, drawing and recording nothing (any route of a report)', async () => {
    const before = t.head();
    const head = (path: string) => t.http.head(`/api/v1${path}`).set(auth(t.tokens.prosecutor));
    for (const path of [
      `/cases/${caseId}/report.pdf`,
      `/cases/${caseId}/report.pdf?format=summary`,
      `/items/${rich.evidenceNo}/custody-report.pdf`,
    ]) {
      const res = await head(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers.trailer).toBeUndefined();
      expect(res.headers['x-report-fingerprint']).toBeUndefined();
    }
    // The same refusals as GET.
    for (const path of ['/cases/case_nope/report.pdf', '/items/EV2699999996/custody-report.pdf']) {
      const refused = await t.http.get(`/api/v1${path}`).set(auth(t.tokens.prosecutor));
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect((await head(path)).status, path).toBe(refused.status);
    }
    expect(t.head()).toBe(before);
    // The service still answers, and a GET still makes and records its report.
    const res = await caseReport(t, caseId, '?format=summary');
    expect(res.status).toBe(200);
    expect(t.head()).toBe(before + 1);
  });

  it('sends an HTTP/1.0 client the whole report without trailers (they need chunked encoding)', async () => {
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      // curl runs beside this process (asynchronously), which serves it.
      const out = await curl([
        '-s',
        '--http1.0',
        '-D',
        '-',
        '-H',
        `Authorization: Bearer ${t.tokens.prosecutor}`,
        `http://127.0.0.1:${port}/api/v1/cases/${caseId}/report.pdf?format=summary`,
      ]);
      const text = out.toString('latin1');
      expect(text).toMatch(/^HTTP\/1\.[01] 200/);
      expect(text).not.toMatch(/^trailer:/im);
      expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      // Still up: the next request is answered.
      expect((await t.http.get('/api/v1/health')).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
