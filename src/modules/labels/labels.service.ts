import type { Db } from '../../db/open';
import type { Actor, LedgerEvent, Tx } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { FORMATS, LABEL_FORMATS, type LabelFormat, type LabelFormatId, perSheet } from './labels.formats';
import { type ResolvedSelection, resolveSelection, type Selection, type Skipped } from './labels.select';

/** The most labels one job may print (items × copies). */
export const MAX_LABELS = 100_000;

export function formatOf(id: string, allowed: readonly LabelFormatId[] = LABEL_FORMATS): LabelFormat {
  if (!(allowed as readonly string[]).includes(id)) {
    // A real format this output does not print (62mm or a sheet as ZPL) is named as such.
    const known = (LABEL_FORMATS as readonly string[]).includes(id);
    throw new AppError(
      'unknown_label_format',
      known
        ? `${id} is a PDF format (labels/items.pdf), not one a Zebra prints from ZPL; use one of ${allowed.join(', ')}`
        : `no label format "${id.slice(0, 40)}"; use one of ${allowed.join(', ')}`,
      {
        formats: allowed,
      },
    );
  }
  return FORMATS[id as LabelFormatId];
}

export interface SelectorInput {
  items?: string | string[] | undefined;
  caseId?: string | undefined;
  seizureId?: string | undefined;
  locationCode?: string | undefined;
}

/** Exactly one way of choosing the items. */
export function selectionOf(q: SelectorInput): Selection {
  const given: Selection[] = [];
  if (q.items !== undefined) {
    const items = Array.isArray(q.items) ? q.items : q.items.split(/[\s,;]+/).filter((s) => s !== '');
    if (items.length > MAX_LABELS)
      throw new AppError(
        'too_many_labels',
        `${items.length} items; one job prints at most ${MAX_LABELS} labels`,
        {
          max: MAX_LABELS,
        },
      );
    if (items.length === 0) throw new AppError('empty_selection', 'items= lists no evidence numbers');
    given.push({ by: 'items', items });
  }
  if (q.caseId) given.push({ by: 'caseId', caseId: q.caseId });
  if (q.seizureId) given.push({ by: 'seizureId', seizureId: q.seizureId });
  if (q.locationCode) given.push({ by: 'locationCode', locationCode: q.locationCode });
  const [one, ...more] = given;
  if (!one)
    throw new AppError('empty_selection', 'say what to print: items=, caseId=, seizureId= or locationCode=');
  if (more.length > 0)
    throw new AppError(
      'validation_failed',
      'give only one of items=, caseId=, seizureId= and locationCode=',
      {
        errors: [{ in: 'query', path: more[0]?.by ?? '', message: 'only one selection at a time' }],
      },
    );
  return one;
}

export function checkStart(f: LabelFormat, start: number): void {
  if (start === 1) return;
  if (!f.sheet)
    throw new AppError('start_beyond_sheet', `${f.id} is a roll: start= applies to sheets only`, {
      perSheet: 1,
    });
  if (start > perSheet(f))
    throw new AppError(
      'start_beyond_sheet',
      `the ${f.id} sheet holds ${perSheet(f)} labels; start= must be 1–${perSheet(f)}`,
      {
        perSheet: perSheet(f),
      },
    );
}

export function checkCount(labels: number): void {
  if (labels > MAX_LABELS)
    throw new AppError(
      'too_many_labels',
      `${labels} labels; one job prints at most ${MAX_LABELS} — split it`,
      {
        labels,
        max: MAX_LABELS,
      },
    );
}

export interface ItemJobInput extends SelectorInput {
  format: string;
  copies: number;
  start?: number | undefined;
  skipMissing?: boolean | undefined;
}

export interface ItemJob {
  format: LabelFormat;
  copies: number;
  start: number;
  selection: Selection;
  resolved: ResolvedSelection;
  labels: number;
}

/** Validates a job completely before anything is written or sent. */
export function prepareItemJob(
  db: Db,
  input: ItemJobInput,
  formats: readonly LabelFormatId[] = LABEL_FORMATS,
): ItemJob {
  const format = formatOf(input.format, formats);
  const start = input.start ?? 1;
  checkStart(format, start);
  const selection = selectionOf(input);
  if (selection.by === 'items') checkCount(selection.items.length * input.copies);
  const resolved = resolveSelection(db, selection, input.skipMissing ?? false);
  if (resolved.count === 0) {
    const left = resolved.skipped.unknown.length + resolved.skipped.disposed.length;
    throw new AppError(
      'empty_selection',
      left
        ? `nothing left to print: all ${left} selected items were skipped`
        : 'the selection holds no items',
      { skipped: resolved.skipped },
    );
  }
  const labels = resolved.count * input.copies;
  checkCount(labels);
  return { format, copies: input.copies, start, selection, resolved, labels };
}

/** The print job as one ledger event: who printed which items, how; the requester is its actor. */
export function recordItemPrintJob(tx: Tx, job: ItemJob, output: 'pdf' | 'zpl', actor: Actor): LedgerEvent {
  const { by, ...value } = job.selection;
  const data: Record<string, unknown> = {
    output,
    format: job.format.id,
    copies: job.copies,
    labels: job.labels,
    selection: by === 'items' ? { by } : { by, ...value },
    items: job.resolved.evidenceNos,
  };
  if (job.start !== 1) data.start = job.start;
  const { unknown, disposed } = job.resolved.skipped;
  if (unknown.length || disposed.length) data.skipped = { unknown, disposed };
  return tx.append({ type: 'labels_printed', entityType: 'label_job', entityId: newId('lbl'), actor, data });
}

/** The X-Labels-Skipped header: what a skipMissing job left out (the first 100, then a count). */
export function skippedHeader(s: Skipped): string | null {
  const all = [...s.unknown.map((n) => `${n} unknown`), ...s.disposed.map((n) => `${n} disposed`)];
  if (all.length === 0) return null;
  const shown = all.slice(0, 100).join(', ');
  return all.length > 100 ? `${shown}, and ${all.length - 100} more` : shown;
}

/** A location label job: also one labels_printed event (its `locations`, no items). */
export function recordLocationPrintJob(
  tx: Tx,
  job: { format: LabelFormat; copies: number; start: number; locations: string[] },
  actor: Actor,
): LedgerEvent {
  const data: Record<string, unknown> = {
    output: 'pdf',
    format: job.format.id,
    copies: job.copies,
    labels: job.locations.length * job.copies,
    locations: job.locations,
  };
  if (job.start !== 1) data.start = job.start;
  return tx.append({ type: 'labels_printed', entityType: 'label_job', entityId: newId('lbl'), actor, data });
}

/**
 * A job whose client hung up mid-stream: a `labels_print_cut` event on the same job says how far it
 * got, so the ledger claims no label that was never sent. `labelsSent` is an upper bound (the
 * labels drawn and handed to the connection before the hang-up was noticed; some may have been
 * lost in transit); an item job also gets `itemsSent`, the count of its first items whose every
 * copy is within that bound: the items after them were never sent and count as unprinted again.
 */
export function recordPrintCut(
  tx: Tx,
  job: { event: LedgerEvent; labels: number; copies: number; items: boolean },
  labelsSent: number,
  actor: Actor,
): LedgerEvent {
  const sent = Math.min(labelsSent, job.labels);
  const data: Record<string, unknown> = { jobSeq: job.event.seq, labels: job.labels, labelsSent: sent };
  if (job.items) data.itemsSent = Math.floor(sent / job.copies);
  return tx.append({
    type: 'labels_print_cut',
    entityType: 'label_job',
    entityId: job.event.entityId,
    actor,
    data,
  });
}
