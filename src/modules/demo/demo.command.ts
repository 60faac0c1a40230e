import type { AppContext } from '../../context';
import { DEFAULT_ITEMS, planDemo, SEED_SCALE, sizeFor } from './demo.generator';
import { loadDemo } from './demo.loader';
import { progressBar } from './progress';

export interface DemoCommandOptions {
  items?: string;
  scale?: string;
  seed?: string;
}

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** `custody demo [--items N | --scale seed] [--seed S]`: plan, load, print the totals and tokens. */
export function runDemoCommand(ctx: AppContext, opts: DemoCommandOptions): void {
  if (opts.scale !== undefined && opts.scale !== 'seed') throw new Error('--scale takes one value: seed');
  if (opts.scale && opts.items) throw new Error('give --items or --scale, not both');
  const seed = Number(opts.seed ?? 2022);
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  let size = SEED_SCALE;
  if (!opts.scale) {
    const items = Number(opts.items ?? DEFAULT_ITEMS);
    if (!Number.isInteger(items) || items < 1 || items > 1_000_000)
      throw new Error('--items must be a whole number from 1 to 1,000,000');
    size = sizeFor(items);
  }
  const plan = planDemo(size, seed);
  const bar = progressBar(process.stderr, 'demo');
  const result = loadDemo(ctx, plan, { onProgress: (done, total) => bar.update(done, total) });
  bar.stop();
  const t = result.totals;
  console.log(
    `demo data loaded (seed ${seed}): ${t.cases} cases, ${t.sites} seizures, ${t.items.toLocaleString('en-US')} items ` +
      `worth ${usd(t.usdAtSeizure)} at seizure (${usd(t.usdLatest)} at the latest valuations), ` +
      `${t.powerMw.toFixed(1)} MW rated load; ${result.events.toLocaleString('en-US')} events, ` +
      `ledger head ${result.headSeq}, ${result.seconds.toFixed(1)} s`,
  );
  console.log('API tokens (shown once):');
  for (const tok of result.tokens)
    console.log(`  ${tok.role.padEnd(10)} ${tok.username.padEnd(16)} ${tok.token}`);
}
