import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical';
import { sha256Hex } from '../../src/ledger/hash';
import { verifyBundle } from '../../src/modules/ledger/bundle.verify';
import { PYTHON, runVerifier } from '../cli/python';
import { makeShelf, record } from '../custody/fixtures';
import { auth, makeTestApp, tempDir } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeItem, makeSeizure } from '../items/fixtures';

const t = makeTestApp();
const dir = tempDir();

/** A case with two seizures and three items, one received, moved; another case beside it. */
async function build() {
  const theCase = await makeCase(t);
  const s1 = await makeSeizure(t, theCase.id);
  const s2 = await makeSeizure(t, theCase.id, { farmName: 'Ферма «Жұлдыз»' });
  const items = [
    await makeItem(t, { caseId: theCase.id, seizureId: s1.id }),
    await makeItem(t, { caseId: theCase.id, seizureId: s1.id }),
    await makeItem(t, { caseId: theCase.id, seizureId: s2.id }),
  ];
  const other = await makeCase(t);
  const os = await makeSeizure(t, other.id);
  const otherItem = await makeItem(t, { caseId: other.id, seizureId: os.id });
  const shelf = await makeShelf(t);
  const shelf2 = await makeShelf(t, 'Shelf B');
  await record(t, items[0]!.evidenceNo, { type: 'received', locationCode: shelf.code });
  await record(t, otherItem.evidenceNo, { type: 'received', locationCode: shelf.code });
  await record(t, items[0]!.evidenceNo, {
    type: 'moved',
    locationCode: shelf2.code,
    reason: 'consolidation',
  });
  return { theCase, seizures: [s1, s2], items, other, otherItem };
}

const built = build();

const getBundle = (path: string) =>
  t.http
    .get(`/api/v1${path}`)
    .set(auth(t.tokens.prosecutor))
    .buffer(true)
    .parse((res, done) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => done(null, body));
    });

describe('GET /cases/:caseId/evidence-bundle', () => {
  it('holds the genesis event and exactly the case’s events, each proven against one signed checkpoint', async () => {
    const { theCase, seizures, items, other, otherItem } = await built;
    const res = await getBundle(`/cases/${theCase.id}/evidence-bundle`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = (res.body as string)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const [header, ...records] = lines;
    expect(header).toMatchObject({
      bundle: 'custody-ledger/evidence-bundle@v1',
      caseId: theCase.id,
      caseNumber: theCase.number,
      members: {
        case: [theCase.id],
        seizure: seizures.map((s) => s.id).sort(),
        item: items.map((i) => i.evidenceNo).sort(),
      },
      events: records.length,
    });
    expect(res.headers['x-ledger-tree-size']).toBe(String(header.treeSize));
    const db = t.app.locals.ctx.db;
    const expected = db.sqlite
      .prepare(
        `SELECT seq FROM events WHERE seq = 1 OR (entity_type = 'case' AND entity_id = ?)
           OR (entity_type = 'seizure' AND entity_id IN (?, ?))
           OR (entity_type = 'item' AND entity_id IN (?, ?, ?)) ORDER BY seq`,
      )
      .pluck()
      .all(theCase.id, seizures[0]!.id, seizures[1]!.id, ...items.map((i) => i.evidenceNo));
    expect(records.map((r) => r.event.seq)).toEqual(expected);
    const text = JSON.stringify(records);
    expect(text).not.toContain(other.id);
    expect(text).not.toContain(otherItem.evidenceNo);
    expect(records.filter((r) => r.event.entityType === 'item').length).toBeGreaterThanOrEqual(5);
    expect(verifyBundle(res.body as string, t.signer.publicKeyPem)).toMatchObject({
      ok: true,
      caseId: theCase.id,
      events: records.length,
      pinned: true,
    });
  });

  it('refuses an unknown case and a tree size that is not signed', async () => {
    const head = t.head();
    expectProblem(
      await t.http.get('/api/v1/cases/case_nope/evidence-bundle').set(auth(t.tokens.auditor)),
      404,
      'case_not_found',
    );
    const { theCase } = await built;
    const beyond = await t.http
      .get(`/api/v1/cases/${theCase.id}/evidence-bundle?treeSize=${head + 10}`)
      .set(auth(t.tokens.auditor));
    expectProblem(beyond, 400, 'tree_size_beyond_ledger');
    expect(t.head()).toBe(head);
  });
});

describe('forged bundles fail in TypeScript and in Python', async () => {
  const { theCase } = await built;
  const res = await getBundle(`/cases/${theCase.id}/evidence-bundle`);
  const good = res.body as string;
  if (res.status !== 200) throw new Error(`bundle: ${res.status} ${good}`);
  const lines = good.trimEnd().split('\n');
  const pem = join(dir, 'key.pem');
  writeFileSync(pem, t.signer.publicKeyPem);
  const other = makeTestApp();

  const forgeries: [string, string][] = [];
  // biome-ignore lint/suspicious/noExplicitAny: a forger edits parsed JSON freely.
  const edit = (i: number, fn: (r: any) => void) => {
    const copy = [...lines];
    const r = JSON.parse(copy[i]!);
    fn(r);
    copy[i] = JSON.stringify(r);
    return `${copy.join('\n')}\n`;
  };
  const itemLine = lines.findIndex((l) => l.includes('"entityType":"item"'));
  forgeries.push([
    'an event’s text changed',
    edit(itemLine, (r) => {
      r.event.data.note = 'moved by someone else';
    }),
  ]);
  forgeries.push([
    'an event’s text changed and rehashed',
    edit(itemLine, (r) => {
      r.event.actor = 'usr_forged';
      const { hash: _h, ...rest } = r.event;
      r.event.hash = sha256Hex(canonicalJson(rest));
    }),
  ]);
  forgeries.push([
    'a proof altered',
    edit(itemLine, (r) => {
      r.proof[0] = r.proof[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    }),
  ]);
  forgeries.push([
    'a proof truncated',
    edit(itemLine, (r) => {
      r.proof.pop();
    }),
  ]);
  forgeries.push([
    'an event dropped',
    `${[...lines.slice(0, itemLine), ...lines.slice(itemLine + 1)].join('\n')}\n`,
  ]);
  forgeries.push([
    'the checkpoint from another key',
    edit(0, (r) => {
      r.checkpoint = other.app.locals.ctx.ledger.checkpoint().note;
    }),
  ]);
  forgeries.push([
    'key and checkpoint both from another ledger',
    edit(0, (r) => {
      r.checkpoint = other.app.locals.ctx.ledger.checkpoint().note;
      r.publicKey = other.signer.publicKeyPem;
    }),
  ]);
  forgeries.push([
    'an event of another case slipped in',
    edit(itemLine, (r) => {
      r.event.entityId = 'EV2200000000';
    }),
  ]);

  it.skipIf(!PYTHON)('accepts the genuine bundle (Python)', () => {
    const file = join(dir, 'good.ndjson');
    writeFileSync(file, good);
    const py = runVerifier(['--bundle', file, '--public-key', pem]);
    expect(py.stderr).toBe('');
    expect(py.code).toBe(0);
    expect(py.stdout).toContain(`OK: evidence bundle of case ${theCase.number}`);
  });

  it.each(forgeries)('refuses %s', (_what, forged) => {
    expect(verifyBundle(forged, t.signer.publicKeyPem).ok).toBe(false);
    if (!PYTHON) return;
    const file = join(dir, 'forged.ndjson');
    writeFileSync(file, forged);
    const py = runVerifier(['--bundle', file, '--public-key', pem]);
    expect(py.code).toBe(1);
    expect(py.stderr).toMatch(/^BAD: /);
  });
});
