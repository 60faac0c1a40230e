import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes the PDF to a temp file and returns its path (for qpdf, pdftotext, the verifiers). */
export function pdfFile(pdf: Buffer, name = 'report.pdf'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'custody-report-')), name);
  writeFileSync(path, pdf);
  return path;
}

export function qpdfCheck(path: string): string {
  return execFileSync('qpdf', ['--check', path], { encoding: 'utf8' });
}

/** The text in content-stream order (`pdftotext -raw`). */
export function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8' });
}

export function attachmentNames(path: string): string[] {
  const out = execFileSync('qpdf', ['--list-attachments', path], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(' -> '))
    .map((l) => l.split(' -> ')[0]!.trim());
}

export function attachment(path: string, name: string): string {
  return execFileSync('qpdf', [`--show-attachment=${name}`, path], { encoding: 'utf8' });
}

/** Text without any whitespace: wrapped cells compare with the payload's strings this way. */
export const squash = (s: string) => s.replace(/\s+/g, '');
