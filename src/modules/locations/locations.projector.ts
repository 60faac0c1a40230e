import { prepared } from '../../db/statements';
import type { Projector } from '../../ledger/types';
import type { LocationKind } from './locations.enums';

export const LOCATION_EVENTS = ['location_created'] as const;

/** The human path separator in `locations.path`. */
export const PATH_SEPARATOR = ' › ';

export const locationsProjector: Projector = {
  name: 'locations',
  tables: ['locations'],
  types: LOCATION_EVENTS,
  apply(db, event) {
    const d = event.data as {
      code: string;
      serial: number;
      kind: LocationKind;
      name: string;
      parentCode?: string;
    };
    const parentCode = d.parentCode ?? null;
    const parent = parentCode
      ? (prepared(db, 'SELECT path FROM locations WHERE code = ?').get(parentCode) as
          | { path: string }
          | undefined)
      : undefined;
    const path = parent ? `${parent.path}${PATH_SEPARATOR}${d.name}` : d.name;
    prepared(
      db,
      'INSERT INTO locations (code, serial, kind, name, parent_code, path, created_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(d.code, d.serial, d.kind, d.name, parentCode, path, event.seq);
  },
};
