import { beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/http/route';
import { routes } from '../../src/modules/routes';
import { closeAudit, scanEach, startAudit } from '../audits/fixtures';
import { makeParty } from '../custody/fixtures';
import { act, approved, completion, scan, stockedItems } from '../disposal/fixtures';
import { PNG_BYTES, uploadDocument } from '../documents/fixtures';
import { auth, makeTestApp } from '../helpers/app';

/**
 * The OpenAPI document says where Idempotency-Key and If-Match are honoured and which answers carry
 * an ETag; these tests send them to every route and compare what the service does with what the
 * document says, so the two cannot drift apart.
 */

const t = makeTestApp();

interface Parameter {
  name: string;
  in: string;
  schema?: { pattern?: string };
}
interface Operation {
  description: string;
  parameters?: Parameter[];
  responses: Record<string, { headers?: Record<string, { description: string }> }>;
}
let doc: { paths: Record<string, Record<string, Operation>> };
const operation = (r: (typeof routes)[number]) => doc.paths[`/api/v1${openApiPath(r.path)}`]![r.method]!;
const headerParam = (op: Operation, name: string) =>
  op.parameters?.find((p) => p.in === 'header' && p.name === name);
const what = (r: (typeof routes)[number]) => `${r.method.toUpperCase()} ${r.path}`;
/** Any route's path with every parameter filled in (a value that finds nothing is fine here). */
const anyPath = (path: string) => `/api/v1${path.replace(/:[A-Za-z0-9_]+/g, 'x')}`;

beforeAll(async () => {
  doc = (await t.http.get('/api/v1/openapi.json')).body;
});

/**
 * Every route with `header: value` (its parameters filled with a value that finds nothing), whether
 * the document gives that header for it, and the answer.
 */
async function sentToEveryRoute(header: string, value: string) {
  const out = [];
  for (const r of routes) {
    const op = operation(r);
    const res = await t.http[r.method](anyPath(r.path)).set(auth(t.tokens.supervisor)).set(header, value);
    out.push({ r, op, documented: headerParam(op, header) !== undefined, res });
  }
  return out;
}

const refusedForKey = (res: { status: number; body: { detail?: unknown } }) =>
  res.status === 400 && String(res.body.detail).startsWith('Idempotency-Key');

describe('Idempotency-Key in the OpenAPI document', () => {
  it('is a header of exactly the routes that honour it: a malformed key is refused there, ignored elsewhere', async () => {
    const head = t.head();
    const honoured: string[] = [];
    for (const { r, op, documented, res } of await sentToEveryRoute('Idempotency-Key', 'short')) {
      expect(refusedForKey(res), `${what(r)}: documented ${documented}, answered ${res.status}`).toBe(
        documented,
      );
      if (!documented) continue;
      honoured.push(what(r));
      expect(op.responses['422'], what(r)).toBeDefined();
      expect(op.description, what(r)).toContain('idempotency_key_reused');
      expect(Object.keys(op.responses[String(r.response.status)]!.headers ?? {}), what(r)).toContain(
        'Idempotent-Replayed',
      );
    }
    expect(t.head()).toBe(head);
    // The writes the web app sends keys with are among them; reads and streamed answers are not.
    expect(honoured).toEqual(
      expect.arrayContaining(['POST /items/:evidenceNo/events', 'POST /events/batch', 'POST /items/import']),
    );
    expect(honoured).not.toContain('GET /items');
    expect(honoured).not.toContain('POST /labels/items.pdf');
  });

  it('gives the pattern of a key the service takes', async () => {
    const batch = routes.find((r) => r.path === '/events/batch')!;
    const pattern = new RegExp(headerParam(operation(batch), 'Idempotency-Key')!.schema!.pattern!);
    const head = t.head();
    for (const key of [
      'abcdefgh',
      'scan_2026-12-01',
      'short',
      'has space 1',
      'é-accented',
      'k'.repeat(100),
      'k'.repeat(101),
    ]) {
      // An empty batch is refused after the key is read: a key taken gets that far.
      const res = await t.http
        .post('/api/v1/events/batch')
        .set(auth(t.tokens.clerk))
        .set('Idempotency-Key', key)
        .send({});
      expect(refusedForKey(res), key).toBe(!pattern.test(key));
    }
    expect(t.head()).toBe(head);
  });
});

describe('If-Match in the OpenAPI document', () => {
  it('is a header of exactly the routes that check it: malformed, it is 400 invalid_if_match there only', async () => {
    const head = t.head();
    const checked: string[] = [];
    for (const { r, op, documented, res } of await sentToEveryRoute('If-Match', '42')) {
      expect(res.body.code === 'invalid_if_match', `${what(r)}: documented ${documented}`).toBe(documented);
      if (!documented) continue;
      checked.push(what(r));
      expect(op.responses['412'], what(r)).toBeDefined();
      expect(op.description, what(r)).toMatch(
        /invalid_if_match.*item_changed|item_changed.*invalid_if_match/,
      );
    }
    expect(checked).toEqual(['POST /items/:evidenceNo/events']);
    expect(t.head()).toBe(head);
  });
});

describe('ETag in the OpenAPI document', () => {
  it('is a header of exactly the GET answers that carry one; a weak one answers If-None-Match with 304', async () => {
    const { evidenceNos, caseId, shelf } = await stockedItems(t, 2);
    const [ev, destroyed] = evidenceNos as [string, string];
    const item = (await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.clerk))).body;
    const party = await makeParty(t);
    const sha256 = (await uploadDocument(t, PNG_BYTES, 'image/png')).sha256;
    const disposalId = await approved(t, [destroyed]);
    await scan(t, disposalId, destroyed);
    expect((await act(t, disposalId, 'complete', completion())).status).toBe(200);
    const audit = await startAudit(t, { locationCode: shelf.code });
    await scanEach(t, audit.id, [shelf.code, ev]);
    expect((await closeAudit(t, audit.id)).status).toBe(201);
    const report = await t.http.get(`/api/v1/items/${ev}/custody-report.pdf`).set(auth(t.tokens.prosecutor));
    const values: Record<string, string> = {
      caseId,
      seizureId: item.seizureId,
      evidenceNo: ev,
      code: shelf.code,
      partyId: party.id,
      userId: t.userIds.clerk,
      sha256,
      fingerprint: String(report.headers['x-report-fingerprint']),
      disposalId,
      id: audit.id,
    };
    const queries: Record<string, string> = {
      '/ledger/proofs/inclusion': 'seq=1',
      '/ledger/proofs/consistency': `from=${t.head()}`,
      '/labels/items.pdf': `items=${ev}`,
      '/labels/items.zpl': `items=${ev}`,
      '/labels/locations.pdf': `codes=${shelf.code}`,
    };
    const unchecked: string[] = [];
    const mismatched: string[] = [];
    let notModified = 0;
    for (const r of routes.filter((x) => x.method === 'get')) {
      const path = `/api/v1${r.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => values[name] ?? 'x')}`;
      const url = queries[r.path] ? `${path}?${queries[r.path]}` : path;
      const token = r.permission === 'admin' ? t.tokens.admin : t.tokens.supervisor;
      const res = await t.http.get(url).set(auth(token));
      if (res.status !== 200) {
        unchecked.push(`${what(r)} (${res.status} ${res.body?.code ?? ''})`);
        continue;
      }
      const documented = operation(r).responses['200']!.headers?.ETag;
      const tag = res.headers.etag as string | undefined;
      if ((tag !== undefined) !== (documented !== undefined))
        mismatched.push(`${what(r)}: ETag ${tag ?? 'none'}, documented ${documented ? 'yes' : 'no'}`);
      // A weak tag sent back is 304 while the answer is the same; a report drawn anew has another tag.
      if (tag?.startsWith('W/')) {
        const again = await t.http.get(url).set(auth(token)).set('If-None-Match', tag);
        if (again.status === 304) notModified++;
        else {
          expect(again.status, what(r)).toBe(200);
          expect(again.headers.etag, what(r)).not.toBe(tag);
        }
      }
    }
    expect(mismatched).toEqual([]);
    expect(unchecked).toEqual([]);
    expect(notModified).toBeGreaterThan(20);
  });
});
