import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/ledger/rebuild';
import { verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { postEvent, record } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { type ItemBody, makeCaseWithSeizure, makeItem } from './fixtures';

const t = makeTestApp();

const found = async (q: string, caseId = where.caseId) => {
  const res = await t.http
    .get('/api/v1/items')
    .query({ q, caseId, limit: 500 })
    .set(auth(t.tokens.prosecutor));
  expect(res.status).toBe(200);
  return (res.body.items as ItemBody[]).map((i) => i.evidenceNo);
};

// Kazakh words in capitals, one per letter of Kazakh's own (Cyrillic block, not in Russian).
const KAZAKH = {
  Ә: 'ӘКЕ',
  Ғ: 'ҒАЛАМ',
  Қ: 'ҚУАТ',
  Ң: 'ҢЛЕНТА',
  Ө: 'ӨНЕР',
  Ұ: 'ҰЛЫ',
  Ү: 'ҮЙ',
  Һ: 'ҺАУА',
  І: 'ІРГЕ',
};

let where: { caseId: string; seizureId: string };
let assembly: ItemBody;
let kazakh: Record<string, ItemBody>;
let plainKa: ItemBody;

beforeAll(async () => {
  where = await makeCaseWithSeizure(t);
  assembly = await makeItem(t, where, {
    make: 'Bitmain',
    model: 'Antminer S19',
    serialNumber: 'HTX-0001',
    sealNo: 'KZ-FMA 0041277',
    description: 'Сборка из 4 плат, стойка «Ёлка» №7',
  });
  kazakh = {};
  for (const [letter, word] of Object.entries(KAZAKH)) {
    kazakh[letter] = await makeItem(t, where, {
      make: 'Жергілікті',
      model: 'Жиынтық',
      description: `${word} фермасы`,
    });
  }
  plainKa = await makeItem(t, where, {
    make: 'Жергілікті',
    model: 'Жиынтық',
    description: 'КУАТ без descender',
  });
});

describe('GET /items?q= full text (FTS5, unicode61)', () => {
  it('finds "Сборка" by сборка, СБОРКА and its start сбор, in the description', async () => {
    for (const q of ['сборка', 'СБОРКА', 'сбор', 'плат стойка'])
      expect(await found(q)).toEqual([assembly.evidenceNo]);
  });

  it('matches every Kazakh letter to its capital, and keeps Қ apart from К', async () => {
    for (const [letter, word] of Object.entries(KAZAKH)) {
      expect(await found(word.toLowerCase()), letter).toEqual([kazakh[letter]!.evidenceNo]);
      expect(await found(word), letter).toEqual([kazakh[letter]!.evidenceNo]);
    }
    expect(await found('куат')).toEqual([plainKa.evidenceNo]);
  });

  it('searches seal numbers, models and makes by word', async () => {
    expect(await found('0041277')).toEqual([assembly.evidenceNo]);
    expect(await found('s19')).toEqual([assembly.evidenceNo]);
    expect(await found('жергілікті')).toHaveLength(Object.keys(KAZAKH).length + 1);
  });

  it('keeps serial number prefixes, with their dashes', async () => {
    expect(await found('HTX-00')).toEqual([assembly.evidenceNo]);
  });

  it('treats FTS5 syntax in the text as words, never an error', async () => {
    for (const q of ['"', 'AND', 'NEAR(сборка', 'description:x', '*', '^сборка', '-', 'a OR b']) {
      const res = await t.http.get('/api/v1/items').query({ q }).set(auth(t.tokens.prosecutor));
      expect(res.status, q).toBe(200);
    }
    expect(await found('^сборка')).toEqual([assembly.evidenceNo]);
  });

  it('follows a corrected description and a new seal', async () => {
    const item = await makeItem(t, where, { model: 'ТМГ-1000', description: 'ошибка' });
    const reg = (await t.http.get(`/api/v1/items/${item.evidenceNo}/history`).set(auth(t.tokens.clerk))).body
      .events[0] as { seq: number };
    const corrected = await postEvent(
      t,
      item.evidenceNo,
      { type: 'correction', corrects: reg.seq, reason: 'typo', fields: { description: 'Трансформатор ТМГ' } },
      'supervisor',
    );
    expect(corrected.status).toBe(201);
    expect(await found('трансформатор')).toEqual([item.evidenceNo]);
    expect(await found('ошибка')).toEqual([]);
    await record(t, item.evidenceNo, {
      type: 'seal_changed',
      newSealNo: 'NEW-SEAL-991',
      reason: 'opened for inspection',
    });
    expect(await found('991')).toEqual([item.evidenceNo]);
  });
});

describe('the search index as a projection', () => {
  it('verifies; a changed index entry is projection_mismatch of items_search, and a rebuild repairs it', () => {
    const { db } = t.app.locals.ctx;
    expect(verifyLedger(db, { projectors }).ok).toBe(true);
    db.sqlite
      .prepare("UPDATE items_search SET description = 'подмена' WHERE rowid = ?")
      .run(assembly.registeredSeq);
    const r = verifyLedger(db, { projectors });
    expect(r.ok).toBe(false);
    expect(r.damage).toEqual([
      expect.objectContaining({
        kind: 'projection_mismatch',
        detail: expect.stringContaining('items_search'),
      }),
    ]);
    // The repair: rebuilding the projections copies the index back, rowids included.
    rebuildProjections(db, projectors);
    expect(verifyLedger(db, { projectors }).ok).toBe(true);
    expect(
      db.sqlite.prepare("SELECT count(*) AS n FROM items_search WHERE items_search MATCH 'сборка'").get(),
    ).toEqual({ n: 1 });
  });
});
