import { defineRoute } from '../../http/route';
import { EvidenceNoParams } from '../../lib/contract';
import { AppError } from '../../lib/errors';
import { getCaseOpenForIntake } from '../cases/cases.service';
import { getSeizureOfCase } from '../seizures/seizures.service';
import {
  ImportBody,
  ImportQuery,
  ImportResultSchema,
  ItemListQuery,
  ItemListSchema,
  ItemSchema,
  RegisterItemBody,
} from './items.contract';
import { CSV_COLUMNS, readItemsCsv } from './items.csv';
import { itemFromFields, readItemsJson } from './items.input';
import * as items from './items.service';

const tags = ['Items'];

const IMPORT_DESCRIPTION = `Registers many items of one seizure at once, all or none: if any row is bad nothing is
written and the problem's \`errors\` lists every bad row as \`{line, column, message}\`.

**CSV** (\`Content-Type: text/csv\`, UTF-8 — with or without a BOM; CRLF or LF; \`,\` or \`;\` as
separator, taken from the header line; quoting per RFC 4180). The first line names the columns, in
any order and any case: ${CSV_COLUMNS.map((c) => `\`${c}\``).join(', ')}. Only \`category\` is
required (an empty column without a name, as a trailing separator makes, is ignored); \`quantity\` defaults to 1 and \`unit\` to \`pcs\`; with \`;\` as separator a decimal comma
is accepted in \`hashrate_ths\` and \`power_w\`. \`duplicate_ok\` (true/false) lets a row register a
serial number that the case already holds for the same make and model. Unknown columns, ragged rows,
cells a spreadsheet would run as a formula (\`=\`, \`@\`, \`+\`/\`-\` followed by text, a leading tab)
and bytes that are not UTF-8 are refused. At most 100,000 rows.

**JSON**: an array of \`ImportItemRow\` objects; errors name a row by its array \`index\` (from 0).`;

export const itemRoutes = [
  defineRoute({
    method: 'post',
    path: '/items',
    permission: 'write',
    tags,
    summary: 'Register an item',
    description:
      'Allocates the next evidence number of the year (gap-free) and records an `item_registered` event.',
    body: RegisterItemBody,
    response: { status: 201, description: 'The new item', schema: ItemSchema },
    errors: [
      'case_not_found',
      'seizure_not_found',
      'duplicate_serial',
      'item_not_found',
      'invalid_parent',
      'invalid_check_digit',
      'occurred_before_seizure',
      'case_closed',
    ],
    handler: ({ app, body, user }) => {
      const { caseId, seizureId, occurredAt, ...fields } = body;
      const item = itemFromFields(fields);
      return app.ledger.write((tx) =>
        items.registerItem(tx, { caseId, seizureId, ...item }, user.id, tx.now, occurredAt),
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/items/import',
    permission: 'write',
    tags,
    summary: 'Import items from CSV or JSON',
    description: IMPORT_DESCRIPTION,
    query: ImportQuery,
    body: ImportBody,
    bodyTypes: ['text/csv', 'application/json'],
    bodyLimit: '40mb',
    response: { status: 201, description: 'What was registered', schema: ImportResultSchema },
    errors: [
      'case_not_found',
      'seizure_not_found',
      'invalid_csv',
      'invalid_encoding',
      'import_rows_invalid',
      'duplicate_serial',
      'too_many_rows',
      'payload_too_large',
      'occurred_before_seizure',
      'case_closed',
    ],
    handler: ({ app, req, res, query, body, user }) => {
      getCaseOpenForIntake(app.db, query.caseId);
      getSeizureOfCase(app.db, query.caseId, query.seizureId);
      let rows: ReturnType<typeof readItemsJson>;
      if (Buffer.isBuffer(body)) {
        const charset = /charset\s*=\s*"?([^";]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
        if (charset && !/^utf-?8$/i.test(charset.trim())) {
          throw new AppError(
            'invalid_encoding',
            `the body is declared as ${charset}; send UTF-8 (in Excel: File › Save As › "CSV UTF-8")`,
          );
        }
        rows = readItemsCsv(body);
      } else {
        rows = readItemsJson(body as unknown[]);
      }
      if (query.dryRun) {
        const check = {
          db: app.db,
          now: app.clock(),
          append: () => {
            throw new Error('a dry run appends nothing');
          },
        };
        res.status(200).json(items.importItems(check, { ...query, rows }, user.id));
        return undefined;
      }
      return app.ledger.write((tx) => items.importItems(tx, { ...query, rows }, user.id));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/items',
    permission: 'read',
    tags,
    summary: 'Search items',
    description:
      'Filters combine with AND. Cursor-paginated and stable while items are being registered; the cursor belongs to its sort order.',
    query: ItemListQuery,
    response: { status: 200, description: 'A page of items', schema: ItemListSchema },
    errors: [
      'invalid_check_digit',
      'invalid_location_code',
      'invalid_cursor',
      'user_not_found',
      'party_not_found',
    ],
    handler: ({ app, query }) => items.listItems(app.db, query, app.clock()),
  }),
  defineRoute({
    method: 'get',
    path: '/items/:evidenceNo',
    permission: 'read',
    tags,
    summary: 'Show an item',
    description: 'By evidence number in either form (EV2600671238 or EV-26-0067123-8), any case.',
    params: EvidenceNoParams,
    response: { status: 200, description: 'The item', schema: ItemSchema },
    errors: ['item_not_found', 'invalid_check_digit', 'invalid_evidence_number'],
    handler: ({ app, params }) => items.getItem(app.db, params.evidenceNo, app.clock()),
  }),
];
