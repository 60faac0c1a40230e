/// <reference lib="dom" />
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  type Scale,
  type Tick,
  Ticks,
  Tooltip,
  type TooltipItem,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  DoughnutController,
  ArcElement,
  Tooltip,
  Legend,
);

interface Data {
  status: { key: string; label: string; n: number }[];
  category: { label: string; n: number }[];
  regions: { label: string; rated: number; estimated: number }[];
  labels: { rated: string; estimated: string; items: string };
  locale: string;
  separators: { group: string; decimal: string };
}

const data = JSON.parse(document.getElementById('dash-data')?.textContent ?? '{}') as Data;
const STATUS_COLOURS: Record<string, string> = {
  registered: '#94a3b8',
  in_storage: '#2563eb',
  checked_out: '#d97706',
  missing: '#dc2626',
  disposal_authorised: '#7c3aed',
  destroyed: '#334155',
  sold: '#0f766e',
  released: '#65a30d',
  transferred_out: '#0891b2',
};
Chart.defaults.font.family = 'system-ui, "DejaVu Sans", sans-serif';
Chart.defaults.animation = false;
// Numbers are formatted as en-US (which every browser has) and given the page's separators: the
// browser's own data for the locale may be missing (kk-KZ in Chromium) and print "2,500".
Chart.defaults.locale = 'en-US';
const { group, decimal } = data.separators;
const localised = (text: string) => text.replace(/[,.]/g, (c) => (c === ',' ? group : decimal));
const ticks = {
  callback(this: Scale, value: number | string, index: number, all: Tick[]) {
    return localised(String(Ticks.formatters.numeric.call(this, Number(value), index, all)));
  },
};
const tooltip = {
  callbacks: {
    label: (item: TooltipItem<'bar' | 'doughnut'>) =>
      `${item.dataset.label || item.label}: ${localised(item.formattedValue)}`,
  },
};

const canvas = (id: string) => document.getElementById(id) as HTMLCanvasElement | null;

const status = canvas('chart-status');
if (status)
  new Chart(status, {
    type: 'doughnut',
    data: {
      labels: data.status.map((s) => s.label),
      datasets: [
        {
          data: data.status.map((s) => s.n),
          backgroundColor: data.status.map((s) => STATUS_COLOURS[s.key] ?? '#999'),
        },
      ],
    },
    options: { maintainAspectRatio: false, plugins: { legend: { position: 'right' }, tooltip } },
  });

const category = canvas('chart-category');
if (category)
  new Chart(category, {
    type: 'bar',
    data: {
      labels: data.category.map((c) => c.label),
      datasets: [
        { label: data.labels.items, data: data.category.map((c) => c.n), backgroundColor: '#2563eb' },
      ],
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: { x: { ticks } },
      plugins: { legend: { display: false }, tooltip },
    },
  });

const regions = canvas('chart-regions');
if (regions)
  new Chart(regions, {
    type: 'bar',
    data: {
      labels: data.regions.map((r) => r.label),
      datasets: [
        { label: data.labels.rated, data: data.regions.map((r) => r.rated), backgroundColor: '#0f766e' },
        {
          label: data.labels.estimated,
          data: data.regions.map((r) => r.estimated),
          backgroundColor: '#99c7c1',
        },
      ],
    },
    options: { maintainAspectRatio: false, scales: { y: { ticks } }, plugins: { tooltip } },
  });
