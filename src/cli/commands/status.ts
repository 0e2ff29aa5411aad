import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { applyUnderWay, runningNote } from './history.js';
import { databaseStatus } from '../../apply/status.js';
import { describeVersionKind } from '../../apply/rollback.js';
import { describeTarget, openDatabase } from '../../db/open.js';
import { describeLedgerWriters } from '../../ledger/ledger-schema.js';
import { loadDesiredState } from '../../desired/index.js';
import { describeWho, isCompleted, versionToJson, type LedgerVersion } from '../../ledger/ledger-store.js';
import type { DesiredState } from '../../model/types.js';
import { planHazardKinds, type Plan } from '../../plan/build-plan.js';
import { planCounts } from '../../plan/render.js';
import type { ParsedArgs } from '../args.js';
import type { Io } from '../io.js';
import { STATUS_EXIT } from '../exit-codes.js';
import type { statusSpec } from '../specs.js';
import { pathIn, requireFile } from '../flags.js';

/** Objects a plan creates, alters and drops (as the summary's first line counts them). */
function objectCount(plan: Plan): number {
  const c = planCounts(plan);
  return c.create + c.alter + c.drop;
}

function versionLine(v: LedgerVersion): string {
  const when = v.finishedAt ?? v.startedAt;
  return `${v.version} (${describeVersionKind(v)}, ${v.status} ${when} by ${describeWho(v)}, ${v.stepsApplied}/${v.stepsTotal} steps)`;
}

export async function runStatus(args: ParsedArgs<typeof statusSpec>, io: Io): Promise<number> {
  const given = args.values['schema'];
  const schemaPath = given ?? 'schema.yaml';
  const present = await access(resolve(io.cwd, schemaPath)).then(
    () => true,
    () => false,
  );
  if (given !== undefined) await requireFile(io, given);
  const db = await openDatabase({ databaseUrl: args.values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    let desired: DesiredState | undefined;
    if (given !== undefined || present)
      desired = await loadDesiredState(pathIn(io, schemaPath), { cacheDir: join(io.cwd, '.pgreconcile', 'cache') });
    const status = await databaseStatus(db, desired);
    const code = STATUS_EXIT[status.health];
    const writersWarning = describeLedgerWriters(status.ledgerWriters, status.role);
    if (writersWarning !== undefined) io.err(`warning: ${writersWarning}\n`);
    if (args.values['json']) {
      const pending = status.pending;
      io.out(
        `${JSON.stringify(
          {
            health: status.health,
            exit_code: code,
            ledger_format: status.ledgerFormat ?? null,
            current: status.current ? versionToJson(status.current) : null,
            last: status.last ? versionToJson(status.last) : null,
            ledger_writers: status.ledgerWriters.map((w) => ({ role: w.role, rights: w.rights })),
            pending:
              pending === undefined
                ? null
                : {
                    schema: schemaPath,
                    changes: pending.steps.length > 0,
                    objects: objectCount(pending),
                    steps: pending.steps.length,
                    hazards: planHazardKinds(pending),
                  },
          },
          null,
          2,
        )}\n`,
      );
      return code;
    }
    const lines: string[] = [];
    if (status.ledgerFormat === undefined || status.last === undefined)
      lines.push('No ledger yet: nothing was applied or baselined in this database (pgreconcile baseline adopts it).');
    else {
      lines.push(`Current version: ${status.current ? versionLine(status.current) : 'none applied yet'}`);
      if (status.last.status === 'mismatch') {
        lines.push(
          `Last apply: every step ran, but the database still differs from what it planned: ${(status.last.error ?? '').split('\n')[0]}`,
        );
      }
      if (status.last !== status.current && !isCompleted(status.last.status)) {
        const failed = status.last.status === 'failed';
        lines.push(
          `Last attempt: ${versionLine(status.last)}${failed ? `: ${(status.last.error ?? '').split('\n')[0]}` : ` — ${runningNote(await applyUnderWay(db, [status.last]))}`}`,
        );
      }
    }
    // "Changes to apply" (the file against the live database), counted in objects as `plan` and
    // `drift` count them; drift's "pending" is the file against the last applied state.
    if (status.pending === undefined) lines.push(`Changes to apply: unknown (no ${schemaPath}; pass --schema FILE)`);
    else if (status.pending.steps.length === 0) lines.push(`Changes to apply: none — the database matches ${schemaPath}`);
    else {
      const c = planCounts(status.pending);
      const parts = [
        c.create > 0 ? `${c.create} to create` : '',
        c.alter > 0 ? `${c.alter} to alter` : '',
        c.drop > 0 ? `${c.drop} to drop` : '',
      ].filter(Boolean);
      const steps = status.pending.steps.length;
      lines.push(
        `Changes to apply: ${parts.join(', ')} (${steps} step${steps === 1 ? '' : 's'}) to make the database match ${schemaPath}; pgreconcile plan shows them`,
      );
    }
    io.out(`${lines.join('\n')}\n`);
    return code;
  } finally {
    await db.close();
  }
}
