import { expect } from 'vitest';
import type { LabelFormat } from '../../src/modules/labels/labels.formats';
import type { LabelPlan, PlanOp } from '../../src/modules/labels/labels.layout';

const inside = (o: PlanOp, w: number, h: number) =>
  o.x >= -1e-6 && o.y >= -1e-6 && o.x + o.w <= w + 1e-6 && o.y + o.h <= h + 1e-6;
const overlap = (a: PlanOp, b: { x: number; y: number; w: number; h: number }) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every box of the plan inside the label; no text box on a barcode or in its quiet zone. */
export function expectInsideAndClear(plan: LabelPlan, f: LabelFormat): void {
  const dot = 72 / f.dpi;
  for (const o of plan.ops) expect(inside(o, f.width, f.height), JSON.stringify(o)).toBe(true);
  for (const bar of plan.ops) {
    if (bar.op !== 'barcode') continue;
    // Code 128: 10 modules each side; DataMatrix: 1 module all round (we keep 2).
    const q = (bar.spec.symbology === 'code128' ? 10 : 1) * bar.spec.moduleDots * dot;
    const zone = {
      x: bar.x - q,
      y: bar.y - (bar.spec.symbology === 'code128' ? 0 : q),
      w: bar.w + 2 * q,
      h: bar.h,
    };
    expect(zone.x, `${bar.spec.symbology} quiet zone`).toBeGreaterThanOrEqual(-1e-6);
    expect(zone.x + zone.w, `${bar.spec.symbology} quiet zone`).toBeLessThanOrEqual(f.width + 1e-6);
    for (const o of plan.ops)
      if (o.op === 'text') expect(overlap(o, zone), `"${o.text}" on the ${bar.spec.symbology}`).toBe(false);
  }
}
