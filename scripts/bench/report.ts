/** One measured figure, shown against the ceiling measured in the same run. */
export interface Metric {
  group: string;
  name: string;
  value: number;
  unit: string;
  /** value ÷ the ceiling's value, oriented so that higher is better; null for a ceiling itself. */
  ratio: number | null;
  /** The name of the metric this one is a ratio to. */
  ceiling?: string;
  goal?: string;
  detail?: string;
  p99Ms?: number;
  peakRssMb?: number;
}

export interface BenchResult {
  startedAt: string;
  machine: { cpus: number; node: string; platform: string };
  sizes: Record<string, number>;
  seconds: number;
  metrics: Metric[];
  notes: string[];
}

const fmt = (v: number) =>
  v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2);

/** A plain-text table: one line per figure, its ratio to the same run's ceiling, the goal. */
export function renderTable(result: BenchResult): string {
  const rows = result.metrics.map((m) => [
    m.group,
    m.name,
    `${fmt(m.value)} ${m.unit}`,
    m.ratio === null ? 'ceiling' : `${m.ratio.toFixed(2)}×`,
    m.goal ?? '',
  ]);
  const head = ['', 'measure', 'value', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `Custody Ledger bench — ${result.startedAt}, ${result.machine.cpus} CPU(s), Node ${result.machine.node}, ${result.seconds.toFixed(0)} s`,
    `sizes: ${Object.entries(result.sizes)
      .map(([k, v]) => `${k}=${v.toLocaleString('en-US')}`)
      .join(', ')}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'details:',
    ...result.metrics.filter((m) => m.detail).map((m) => `  ${m.name}: ${m.detail}`),
  ];
  if (result.notes.length) out.push('', 'notes:', ...result.notes.map((n) => `  - ${n}`));
  return out.join('\n');
}
