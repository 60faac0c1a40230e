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
  Tooltip,
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
Chart.defaults.locale = data.locale;

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
    options: { maintainAspectRatio: false, plugins: { legend: { position: 'right' } } },
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
    options: { indexAxis: 'y', maintainAspectRatio: false, plugins: { legend: { display: false } } },
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
    options: { maintainAspectRatio: false },
  });
