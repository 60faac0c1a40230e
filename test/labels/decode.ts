import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Debian tools the label proofs use; a test that needs an absent one is skipped and says so. */
const TOOLS = ['pdftoppm', 'pdftotext', 'pdfinfo', 'zbarimg', 'dmtxread'] as const;
type Tool = (typeof TOOLS)[number];

const present = new Map<Tool, boolean>(TOOLS.map((t) => [t, spawnSync('which', [t]).status === 0]));

/** null when every tool is installed, else the reason to print in the skipped test's name. */
export function missing(...tools: Tool[]): string | null {
  const absent = tools.filter((t) => !present.get(t));
  return absent.length
    ? `skipped: ${absent.join(', ')} not installed (apt-get install poppler-utils zbar-tools dmtx-utils)`
    : null;
}

function run(cmd: string, args: string[], input?: Buffer) {
  const r = spawnSync(cmd, args, { input, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

export interface Crop {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Renders a PDF's pages to PNG at `dpi` (optionally one crop in px); returns the files in page order. */
export function renderPdf(
  pdf: Buffer | string,
  dpi: number,
  dir: string,
  name: string,
  crop?: Crop,
  page?: number,
): string[] {
  const file = typeof pdf === 'string' ? pdf : join(dir, `${name}.pdf`);
  if (typeof pdf !== 'string') writeFileSync(file, pdf);
  const args = ['-r', String(dpi), '-png'];
  if (page) args.push('-f', String(page), '-l', String(page));
  if (crop) args.push('-x', String(crop.x), '-y', String(crop.y), '-W', String(crop.w), '-H', String(crop.h));
  const prefix = join(dir, `${name}-${dpi}${crop ? `-${crop.x}-${crop.y}` : ''}`);
  const r = run('pdftoppm', [...args, file, prefix]);
  if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr}`);
  const base = prefix.slice(dir.length + 1);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

/** Every Code 128 / QR symbol zbarimg finds in the image. */
export function zbar(png: string): string[] {
  const r = run('zbarimg', ['--raw', '-q', png]);
  if (r.status !== 0 && r.status !== 4) throw new Error(`zbarimg: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** The first DataMatrix dmtxread finds (-N1: it stops there, instead of searching for seconds). */
export function dmtx(png: string): string[] {
  const r = run('dmtxread', ['-N1', '-n', png]);
  return r.stdout.split('\n').filter((l) => l !== '');
}

export function pdfText(pdf: string): string {
  return run('pdftotext', ['-layout', pdf, '-']).stdout;
}

export function pdfPages(pdf: string): number {
  const m = /Pages:\s+(\d+)/.exec(run('pdfinfo', [pdf]).stdout);
  return m ? Number(m[1]) : 0;
}

export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
