import { join } from 'node:path';
import { baselineDatabase } from '../../apply/baseline.js';
import { describeHolder } from '../../apply/deployment-lock.js';
import { describeTarget, openDatabase } from '../../db/open.js';
import { loadDesiredState } from '../../desired/index.js';
import { renderSummary } from '../../plan/render.js';
import type { ParsedArgs } from '../args.js';
import type { Io } from '../io.js';
import { BASELINE_EXIT } from '../exit-codes.js';
import type { baselineSpec } from '../specs.js';
import { pathIn, requireFile, secondsFlag } from '../flags.js';

export async function runBaseline(args: ParsedArgs<typeof baselineSpec>, io: Io): Promise<number> {
  const schemaPath = args.values['schema'] ?? 'schema.yaml';
  const json = args.values['json'] === true;
  const lockWaitMs = secondsFlag(args.values, 'lock-wait');
  await requireFile(io, schemaPath);
  const desired = await loadDesiredState(pathIn(io, schemaPath), { cacheDir: join(io.cwd, '.pgreconcile', 'cache') });
  const db = await openDatabase({ databaseUrl: args.values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const outcome = await baselineDatabase(db, desired, {
      force: args.values['force'] === true,
      ...(lockWaitMs !== undefined ? { lockWaitMs } : {}),
      onLockWait: (holders) =>
        io.err(`Waiting for the deployment lock, held by ${holders.map(describeHolder).join('; ') || 'another session'}\n`),
    });
    if (outcome.kind === 'refused') {
      const message =
        `the database differs from ${schemaPath} (a plan has ${outcome.pending.steps.length} step${outcome.pending.steps.length === 1 ? '' : 's'}), so a baseline would record a state ` +
        'the database is not in. Apply the plan first (pgreconcile apply), or record the live state anyway with --force.';
      if (json)
        io.out(
          `${JSON.stringify({ result: 'refused', reason: 'pending', message, pending_steps: outcome.pending.steps.length }, null, 2)}\n`,
        );
      else io.err(`pgreconcile baseline: refused: ${message}\n\n${renderSummary(outcome.pending)}`);
      return BASELINE_EXIT.refused;
    }
    const forced = outcome.pending.steps.length;
    if (json) {
      io.out(
        `${JSON.stringify({ result: 'recorded', version: outcome.version, fingerprint: outcome.fingerprint, pending_steps: forced }, null, 2)}\n`,
      );
    } else {
      io.out(
        `Recorded baseline version ${outcome.version}: the live schema as it is (fingerprint ${outcome.fingerprint.slice(0, 12)}…); nothing was executed.\n`,
      );
      if (forced > 0)
        io.err(
          `Forced: the database still differs from ${schemaPath} by ${forced} step${forced === 1 ? '' : 's'}; the ledger row says so.\n`,
        );
    }
    return BASELINE_EXIT.recorded;
  } finally {
    await db.close();
  }
}
