import { describeRestoreRefusal, restoreBackup, type RestoredObject, type RestoreOutcome } from '../../apply/restore.js';
import { describeTarget, openDatabase } from '../../db/open.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../io.js';
import { RESTORE_EXIT } from '../exit-codes.js';
import type { restoreSpec } from '../specs.js';
import { secondsFlag } from '../flags.js';

/** Exit codes of `restore` (documented in its --help). */

function rows(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}

/** One object's line: `table public.orders: 5 rows restored, 1 skipped (already there)`. */
function objectLine(o: RestoredObject): string {
  const what = o.kind === 'enum_rows' ? `enum values in column ${o.object}` : `${o.kind} ${o.object}`;
  const skipped = o.skipped > 0 ? `, ${o.skipped} skipped (${o.skippedBecause})` : '';
  const restored = o.kind === 'sequence' ? 'position restored' : `${rows(o.restored)} restored${skipped}`;
  return `  ✓ ${what}: ${restored}  [step ${o.step}, ${o.file}]`;
}

function print(outcome: RestoreOutcome, json: boolean, io: Io): number {
  if (outcome.kind === 'refused') {
    if (json)
      io.out(
        `${JSON.stringify({ result: 'refused', reason: outcome.reason, version: outcome.version, problems: outcome.problems }, null, 2)}\n`,
      );
    else io.err(`pgreconcile restore: refused: ${describeRestoreRefusal(outcome)}\n`);
    return RESTORE_EXIT.refused;
  }
  if (json) {
    const objects = outcome.objects.map((o) => ({
      step: o.step,
      kind: o.kind,
      object: o.object,
      file: o.file,
      rows: o.rows,
      restored: o.restored,
      skipped: o.skipped,
      skipped_because: o.skipped > 0 ? o.skippedBecause : null,
    }));
    io.out(
      `${JSON.stringify({ result: 'restored', version: outcome.version, folder: outcome.folder, objects, notes: outcome.notes }, null, 2)}\n`,
    );
    return RESTORE_EXIT.restored;
  }
  io.out(`Restoring the backup of ${outcome.version} from ${outcome.folder} (sha256 of every file verified)\n`);
  for (const o of outcome.objects) io.out(`${objectLine(o)}\n`);
  for (const note of outcome.notes) io.err(`note: ${note}\n`);
  io.out(`Restored ${outcome.objects.length} object${outcome.objects.length === 1 ? '' : 's'} in one transaction.\n`);
  return RESTORE_EXIT.restored;
}

export async function runRestore(args: ParsedArgs<typeof restoreSpec>, io: Io): Promise<number> {
  const version = args.positionals[0];
  if (version === undefined) throw new UsageError('which version? Give its id, as `pgreconcile history` lists it');
  const raw = args.values['table'];
  const tables = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const backupDir = args.values['backup-dir'];
  const lockWaitMs = secondsFlag(args.values, 'lock-wait');
  const db = await openDatabase({ databaseUrl: args.values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const outcome = await restoreBackup(db, version, {
      cwd: io.cwd,
      tables,
      ...(backupDir !== undefined ? { backupDir } : {}),
      ...(lockWaitMs !== undefined ? { lockWaitMs } : {}),
    });
    return print(outcome, args.values['json'] === true, io);
  } finally {
    await db.close();
  }
}
