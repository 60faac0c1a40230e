/**
 * `npm run bench` (also `custody bench`): every goal as a ratio to a ceiling measured in the same
 * run on this machine. Prints a table (stderr with --json, which prints the JSON result to stdout);
 * --out FILE writes the JSON result too. Sizes: --quick, or --append-events N, --verify-events N,
 * --import-rows N, --lookup-events N, --http-seconds S, --connections C, --audit-items N,
 * --audit-single-scans N, --report-items N; --stages http,append,…
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from './bench/report';
import { type BenchSizes, DEFAULT_SIZES, runBench, STAGES, type Stage } from './bench/run';

export const QUICK_SIZES: BenchSizes = {
  connections: 8,
  httpSeconds: 1,
  appendEvents: 2_000,
  verifyEvents: 5_000,
  importRows: 2_000,
  lookupEvents: 10_000,
  lookupSeconds: 1,
  labelsSmall: 200,
  labelsLarge: 1_000,
  auditItems: 2_000,
  auditSingleScans: 300,
  reportItems: 3_000,
};

const SIZE_FLAGS = {
  connections: 'connections',
  'http-seconds': 'httpSeconds',
  'append-events': 'appendEvents',
  'verify-events': 'verifyEvents',
  'import-rows': 'importRows',
  'lookup-events': 'lookupEvents',
  'lookup-seconds': 'lookupSeconds',
  'labels-small': 'labelsSmall',
  'labels-large': 'labelsLarge',
  'audit-items': 'auditItems',
  'audit-single-scans': 'auditSingleScans',
  'report-items': 'reportItems',
} as const satisfies Record<string, keyof BenchSizes>;

export async function benchMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      out: { type: 'string' },
      quick: { type: 'boolean' },
      stages: { type: 'string' },
      ...Object.fromEntries(Object.keys(SIZE_FLAGS).map((k) => [k, { type: 'string' as const }])),
    },
  });
  const sizes: BenchSizes = { ...(values.quick ? QUICK_SIZES : DEFAULT_SIZES) };
  for (const [flag, key] of Object.entries(SIZE_FLAGS)) {
    const v = (values as Record<string, unknown>)[flag];
    if (typeof v !== 'string') continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number`);
    sizes[key] = n;
  }
  let stages: Stage[] | undefined;
  if (typeof values.stages === 'string') {
    stages = values.stages.split(',').map((s) => s.trim()) as Stage[];
    const bad = stages.filter((s) => !STAGES.includes(s));
    if (bad.length) throw new Error(`unknown stage(s) ${bad.join(', ')}; choose from ${STAGES.join(', ')}`);
  }
  const result = await runBench({ sizes, ...(stages ? { stages } : {}) });
  const table = renderTable(result);
  if (values.json) {
    process.stderr.write(`${table}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
  if (typeof values.out === 'string') writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchMain(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? `error: ${err.message}` : err);
    process.exitCode = 1;
  });
}
