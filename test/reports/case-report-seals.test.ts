import { describe, expect, it } from 'vitest';
import { measurer } from '../../src/modules/reports/pdf/measure';
import { makeShelf, record } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { itemFields, makeCaseWithSeizure } from '../items/fixtures';
import { pdfOrProblem } from './fixtures';
import { pdfFile, pdfText } from './pdf-tools';

/**
 * The case report's seal column (62 pt at 7 pt, 57 pt of text) breaks a seal number between its
 * tokens — after a space, a comma or a slash — and inside a token only when the token alone is wider
 * than the column, then after a hyphen if one fits.
 */

const t = makeTestApp();
const SEAL_TEXT_WIDTH = 62 - 2 * 2.5;

describe('the case report’s seal column', () => {
  it('wraps seal numbers between their tokens, never inside one that fits', async () => {
    const { caseId, seizureId } = await makeCaseWithSeizure(t);
    const shelf = await makeShelf(t);
    const seals = [
      'KZ-PV/EKB/2022/0041277',
      'АФМ-ЭКС-0100012/22',
      'ПЛ-0012345,ПЛ-0012346',
      `SEAL-${'A'.repeat(40)}`,
    ];
    for (const sealNo of seals) {
      const res = await t.http
        .post('/api/v1/items')
        .set(auth(t.tokens.clerk))
        .send({ caseId, seizureId, ...itemFields({ sealNo }) });
      expect(res.status).toBe(201);
      await record(t, res.body.evidenceNo, { type: 'received', locationCode: shelf.code });
    }
    const res = await t.http
      .get(`/api/v1/cases/${caseId}/report.pdf`)
      .set(auth(t.tokens.prosecutor))
      .buffer(true)
      .parse(pdfOrProblem);
    expect(res.status).toBe(200);
    // pdftotext -raw gives the cell's lines one after another (a row's first lines share one).
    const text = pdfText(pdfFile(res.body as Buffer));
    expect(text).toContain('seal KZ-PV/EKB/\n2022/0041277\n');
    expect(text).toContain('seal\nАФМ-ЭКС-\n0100012/22\n');
    expect(text).toContain('seal\nПЛ-0012345,\nПЛ-0012346\n');
    expect(text).not.toMatch(/KZ-PV\/EKB\/202\n|АФМ-ЭКС-0100\n/);
  });
});

describe('token wrapping (measure.ts)', () => {
  const m = measurer();
  const wrap = (text: string, mode?: 'words' | 'tokens') => m.wrap(text, 'regular', 7, SEAL_TEXT_WIDTH, mode);

  it('keeps every line within the column, loses no character, and breaks a too-wide token after a hyphen', () => {
    for (const text of [
      'seal KZ-PV/EKB/2022/0041277 → seal KZ-PV/EKB/2022/0041279',
      'seal BROKEN; resealed KZ/FMA/PAVLODAR-EKIBASTUZ/000123',
      `SEAL-${'A'.repeat(40)}`,
      'a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z',
    ]) {
      const lines = wrap(text, 'tokens');
      for (const line of lines)
        expect(m.width(line, 'regular', 7), line).toBeLessThanOrEqual(SEAL_TEXT_WIDTH);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
    expect(wrap(`SEAL-${'A'.repeat(40)}`, 'tokens')[0]).toBe('SEAL-');
    expect(wrap('seal KZ/FMA/PAVLODAR-EKIBASTUZ/000123', 'tokens')).toEqual([
      'seal KZ/FMA/',
      'PAVLODAR-',
      'EKIBASTUZ/',
      '000123',
    ]);
  });

  it('leaves word wrapping (the item report, redrawn byte for byte) as it was', () => {
    expect(wrap('seal KZ-PV/EKB/2022/0041277')).toEqual(['seal', 'KZ-PV/EKB/202', '2/0041277']);
  });
});
