import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, renderStateMachineDoc } from '../../scripts/state-machine-doc';
import {
  allowedTypes,
  ITEM_EVENT_TYPES,
  nextStatus,
  STATE_MACHINE,
} from '../../src/modules/custody/state-machine';
import { ITEM_STATUSES, TERMINAL_STATUSES } from '../../src/modules/items/items.enums';

describe('the state machine table', () => {
  it('docs/state-machine.md is exactly what the generator makes from the table', () => {
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(renderStateMachineDoc());
  });

  it('has a row for every status, naming only known types and statuses', () => {
    expect(Object.keys(STATE_MACHINE).sort()).toEqual([...ITEM_STATUSES].sort());
    for (const status of ITEM_STATUSES) {
      for (const t of allowedTypes(status)) {
        expect(ITEM_EVENT_TYPES).toContain(t);
        expect(ITEM_STATUSES).toContain(nextStatus(status, t));
      }
    }
  });

  it('allows only note and correction after a terminal disposition', () => {
    for (const s of TERMINAL_STATUSES) expect(allowedTypes(s)).toEqual(['note', 'correction']);
  });

  it('encodes the custody rules', () => {
    expect(nextStatus('registered', 'received')).toBe('in_storage');
    expect(nextStatus('in_storage', 'moved')).toBe('in_storage');
    expect(nextStatus('in_storage', 'checked_out')).toBe('checked_out');
    expect(nextStatus('checked_out', 'returned')).toBe('in_storage');
    expect(nextStatus('checked_out', 'moved')).toBeNull();
    expect(nextStatus('checked_out', 'checked_out')).toBeNull();
    for (const s of ITEM_STATUSES.filter((x) => !(TERMINAL_STATUSES as readonly string[]).includes(x))) {
      for (const t of ['examined', 'seal_changed', 'valued', 'note', 'correction'] as const) {
        expect(nextStatus(s, t)).toBe(s);
      }
    }
  });
});
