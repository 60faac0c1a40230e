import { copyFileSync, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { loadConfig } from './config';
import { type AppContext, createContext, signerFor } from './context';
import { migrateDb, openDb } from './db/open';
import { checkpointFileFor } from './ledger/ledger';
import { rebuildProjections } from './ledger/rebuild';
import { compareProjections, verifyLedger } from './ledger/verify';
import { AppError } from './lib/errors';
import { ledgerChecks } from './modules/checks';
import { documentManifest } from './modules/documents/documents.service';
import { copyDocuments, documentsDirFor } from './modules/documents/documents.store';
import { verifyBundle } from './modules/ledger/bundle.verify';
import { streamExport } from './modules/ledger/ledger.routes';
import { projectors } from './modules/projectors';
import { verifyReport } from './modules/reports/verify-report';
import { checkPasswordRules, hashPassword, setPassword } from './modules/users/passwords';
import { ROLES, type Role } from './modules/users/roles';
import * as users from './modules/users/users.service';
import { endSessionsOf } from './web/sessions';

const config = loadConfig();

function withContext<T>(fn: (ctx: AppContext) => T | Promise<T>): Promise<T> {
  const db = openDb(config.dbPath);
  let ctx: AppContext;
  try {
    ctx = createContext({ db, signer: signerFor(db, config.keyPath), checkpointIntervalMs: 0 });
  } catch (err) {
    db.sqlite.close();
    throw err;
  }
  return Promise.resolve(fn(ctx)).finally(() => db.sqlite.close());
}

/** For commands that read a ledger: a missing file is an error, not a new empty database. */
function openExisting() {
  if (config.dbPath !== ':memory:' && !existsSync(config.dbPath)) {
    throw new Error(`there is no database at ${config.dbPath} (set CUSTODY_DB, or start the service once)`);
  }
  return openDb(config.dbPath, { migrate: false });
}

const program = new Command('custody')
  .description('Custody Ledger: the chain-of-custody service’s command line')
  .showHelpAfterError();

program
  .command('migrate')
  .description('apply the database migrations (the service also does this at start-up)')
  .action(() => {
    const db = openDb(config.dbPath, { migrate: false });
    migrateDb(db);
    db.sqlite.close();
    console.log(`migrated ${config.dbPath}`);
  });

const user = program.command('user').description('manage users');
user
  .command('add <username>')
  .description('create a user and print a new API token as the last line')
  .addOption(new Option('--role <role>', 'the user’s role').choices(ROLES).makeOptionMandatory())
  .option('--name <name>', 'display name')
  .option('--password-stdin', 'read a web sign-in password from standard input')
  .action((username: string, opts: { role: Role; name?: string; passwordStdin?: boolean }) =>
    withContext(async ({ ledger }) => {
      const hash = opts.passwordStdin ? await passwordHashFromStdin() : null;
      const token = ledger.writeNow((tx) => {
        const created = users.createUser(tx, { username, displayName: opts.name, role: opts.role }, 'system');
        if (hash) setPassword(tx, { userId: created.id, hash, reason: 'initial' }, 'system');
        return users.issueToken(tx, created.id, 'system').token;
      });
      console.log(`created ${username} (${opts.role}); API token:`);
      console.log(token);
    }),
  );

user
  .command('enable <username>')
  .description('enable a user again (recovery: e.g. the last admin, from the server’s shell)')
  .action((username: string) =>
    withContext(({ ledger }) => {
      const u = ledger.writeNow((tx) => users.setDisabled(tx, username, false, 'system'));
      console.log(`${u.username} is enabled (${u.role})`);
    }),
  );
user
  .command('role <username> <role>')
  .description('change a user’s role (recovery: make someone admin again, from the server’s shell)')
  .action((username: string, role: string) =>
    withContext(({ ledger }) => {
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new Error(`"${role}" is not a role (one of ${ROLES.join(', ')})`);
      }
      const u = ledger.writeNow((tx) => users.changeRole(tx, username, role as Role, 'system'));
      console.log(
        `${u.username} is now ${u.role}${u.disabled ? ' (disabled: custody user enable to let it in)' : ''}`,
      );
    }),
  );

user
  .command('password <username>')
  .description('set or reset a user’s web sign-in password, read from standard input (ends their sessions)')
  .option('--password-stdin', 'read the password from standard input (the default)')
  .action((username: string) =>
    withContext(async ({ ledger }) => {
      const hash = await passwordHashFromStdin();
      ledger.writeNow((tx) => {
        const target = users.getUser(tx.db, username);
        setPassword(tx, { userId: target.id, hash, reason: 'reset' }, 'system');
        endSessionsOf(tx.db, target.id, tx.now);
      });
      console.log(`password set for ${username}`);
    }),
  );

/** The first line of standard input, checked against the password rules, hashed with scrypt. */
async function passwordHashFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  checkPasswordRules(password);
  return hashPassword(password);
}

program
  .command('token')
  .description('manage API tokens')
  .command('issue <username>')
  .description('issue a new API token for a user and print it as the last line')
  .action((username: string) =>
    withContext(({ ledger }) => {
      const issued = ledger.writeNow((tx) => users.issueToken(tx, username, 'system'));
      console.log(`issued token ${issued.tokenId} for ${username}:`);
      console.log(issued.token);
    }),
  );

program
  .command('verify-bundle <file>')
  .description('check an evidence bundle offline (docs/ledger-format.md §15.3); exit 0 when it holds, else 1')
  .option('--public-key <pem>', 'pin the ledger’s public key (PEM): a bundle signed by another key fails')
  .action((file: string, opts: { publicKey?: string }) => {
    const result = verifyBundle(
      readFileSync(file, 'utf8'),
      opts.publicKey ? readFileSync(opts.publicKey, 'utf8') : undefined,
    );
    if (result.ok) {
      console.log(
        `OK: evidence bundle of case ${result.caseNumber} (${result.caseId}): ${result.events} events, each proven in the signed tree of size ${result.treeSize}; key id ${result.keyId}${result.pinned ? '' : ' (not pinned: compare it with the key the ledger publishes)'}`,
      );
    } else {
      console.error(`BAD: line ${result.line}: ${result.reason}`);
      process.exitCode = 1;
    }
  });

program
  .command('verify')
  .description('verify the whole ledger; exit 0 when intact, else name the first bad seq')
  .option('--full', 're-canonicalise every event as well as rehashing it')
  .option('--no-projections', 'skip the projection rebuild')
  .option('--json', 'print the result as JSON')
  .action((opts: { full?: boolean; projections: boolean; json?: boolean }) => {
    const db = openExisting();
    const started = Date.now();
    const result = verifyLedger(db, {
      projectors,
      checks: ledgerChecks,
      full: opts.full ?? false,
      projections: opts.projections,
    });
    db.sqlite.close();
    if (opts.json) console.log(JSON.stringify(result, null, 2));
    else if (result.ok) {
      console.log(
        `ledger ${result.ledgerId} intact: ${result.events} events, head ${result.headHash}, root ${result.rootHash}, ` +
          `${result.checkpointsChecked} checkpoints checked (${Date.now() - started} ms)`,
      );
    } else {
      for (const d of result.damage) console.error(`seq ${d.seq ?? '-'}: ${d.kind}: ${d.detail}`);
      console.error(`FIRST BAD SEQ: ${result.firstBad?.seq ?? '-'} (${result.firstBad?.kind})`);
    }
    process.exitCode = result.ok ? 0 : 1;
  });

program
  .command('export')
  .description('write the ledger as NDJSON, with the checkpoint and public key beside it')
  .option('--out <file>', 'output file (default: standard output)')
  .action((opts: { out?: string }) =>
    withContext(async ({ db, ledger }) => {
      const cp = ledger.checkpoint();
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      await streamExport(db, cp.treeSize, out);
      if (opts.out) {
        out.end();
        await finished(out);
        writeFileSync(`${opts.out}.checkpoint`, cp.note);
        writeFileSync(`${opts.out}.pub.pem`, ledger.signer.publicKeyPem);
        writeFileSync(`${opts.out}.documents`, documentManifest(db, cp.treeSize));
        console.error(`exported ${cp.treeSize} events to ${opts.out} (+ .checkpoint, .pub.pem, .documents)`);
      }
    }),
  );

program
  .command('rebuild-projections')
  .description('rebuild every projection from the ledger')
  .option('--check', 'only compare a rebuild with the stored projections; exit 1 if they differ')
  .action((opts: { check?: boolean }) => {
    const db = openExisting();
    if (opts.check) {
      const damage = compareProjections(db, projectors);
      for (const d of damage) console.error(d.detail);
      console.log(
        damage.length === 0 ? 'projections match the ledger' : `${damage.length} projection table(s) differ`,
      );
      process.exitCode = damage.length === 0 ? 0 : 1;
    } else {
      const n = rebuildProjections(db, projectors);
      console.log(`rebuilt projections from ${n} events`);
    }
    db.sqlite.close();
  });

program
  .command('backup <file>')
  .description('online backup of the database and its checkpoint file (safe while the service runs)')
  .action(async (file: string) => {
    // The checkpoint file first: every checkpoint in it is then at or below the backup's head.
    const checkpoints = checkpointFileFor(config.dbPath);
    const copied = checkpoints !== null && existsSync(checkpoints);
    if (copied) copyFileSync(checkpoints, `${file}.checkpoints`);
    const db = openExisting();
    await db.sqlite.backup(file);
    db.sqlite.close();
    // After the database: a document is stored before the event citing it commits, so all are here.
    const docs = copyDocuments(documentsDirFor(config.dbPath), documentsDirFor(file));
    console.log(
      `backed up ${config.dbPath} to ${file}${copied ? ` (and ${file}.checkpoints)` : ''}` +
        (docs > 0 ? `, ${docs} document(s) to ${documentsDirFor(file)}` : ''),
    );
  });

program
  .command('demo')
  .description('load the demo data set (crypto-mining seizures across Kazakhstan) through the services')
  .option('--items <n>', 'how many items (default 3000)')
  .option('--scale <scale>', '"seed": the crackdown’s size — 106 sites, 25 cases, ≈ 67,000 items')
  .option('--seed <n>', 'random seed: the same seed gives the same data', '2022')
  .action((opts: { items?: string; scale?: string; seed?: string }) =>
    withContext(async (ctx) => (await import('./modules/demo/demo.command')).runDemoCommand(ctx, opts)),
  );

program
  .command('verify-report <file>')
  .description(
    'check a report PDF offline from what it carries: fingerprint, checkpoint signature, proofs, printed facts',
  )
  .option('--key <pem>', 'the ledger’s public key, to trust instead of the one the file carries')
  .option('--json', 'print the result as JSON')
  .action(async (file: string, opts: { key?: string; json?: boolean }) => {
    const result = await verifyReport(
      file,
      opts.key === undefined ? undefined : readFileSync(opts.key, 'utf8'),
    );
    if (opts.json) console.log(JSON.stringify(result, null, 2));
    else {
      for (const c of result.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`);
      for (const n of result.notes) console.log(`NOTE ${n}`);
      console.log(
        !result.ok
          ? 'report does NOT verify'
          : result.keyTrusted
            ? `report ${result.fingerprint} verifies`
            : `report ${result.fingerprint} is consistent, but NOT verified: signed by a key you did not give (SHA-256 ${result.keyFingerprint}); pass --key with the ledger's public key`,
      );
    }
    // 3: every check holds, but only against the key the file carries (anyone can make such a file).
    process.exitCode = !result.readable ? 2 : !result.ok ? 1 : result.keyTrusted ? 0 : 3;
  });

program
  .command('bench')
  .description('benchmarks: each figure as a ratio to a ceiling measured in the same run (dev deps)')
  .allowUnknownOption()
  .allowExcessArguments()
  .helpOption(false)
  .action(async () => {
    const { benchMain } = await import('../scripts/bench');
    await benchMain(process.argv.slice(process.argv.indexOf('bench') + 1));
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AppError) console.error(`error: ${err.code}: ${err.message}`);
  else console.error(err instanceof Error ? `error: ${err.message}` : err);
  process.exitCode = 2;
});
