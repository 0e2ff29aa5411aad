import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Db } from '../../db/db.js';
import { describeTarget, openDatabase } from '../../db/open.js';
import { redactConnectionStrings, redactUrl } from '../../db/redact.js';
import { formatDiagnostic, DesiredStateError } from '../../desired/diagnostic.js';
import { loadDesiredState } from '../../desired/index.js';
import { driftOfDatabase, errorReport, type DriftReport } from '../../drift/check-drift.js';
import { CronError, parseCron, parseInterval } from '../../drift/cron.js';
import { listDriftChecks, recordDriftCheck } from '../../drift/drift-record.js';
import { checkLine, driftReportJson, renderDriftMarkdown, renderDriftSummary } from '../../drift/drift-render.js';
import { notifyStateChange, runDriftLoop, webhookTarget, WebhookUrlError, type Schedule } from '../../drift/drift-schedule.js';
import { isDbError, formatDbError } from '../../db/errors.js';
import type { DesiredState } from '../../model/types.js';
import { UsageError, type ParsedArgs } from '../args.js';
import type { Io } from '../io.js';
import { drift } from '../../api/drift.js';
import { DRIFT_EXIT, EXIT } from '../exit-codes.js';
import type { driftSpec } from '../specs.js';
import { cacheDirOf, pathIn, requireFile } from '../flags.js';

type Format = 'text' | 'json' | 'markdown';

function formatOf(args: ParsedArgs<typeof driftSpec>): Format {
  const format = args.values['format'];
  if (format !== undefined && format !== 'text' && format !== 'json' && format !== 'markdown') {
    throw new UsageError(`--format must be text, json or markdown, not "${format}"`);
  }
  if (args.values['json']) {
    if (format !== undefined && format !== 'json') throw new UsageError('--json and --format markdown exclude each other');
    return 'json';
  }
  return format ?? 'text';
}

function scheduleOf(args: ParsedArgs<typeof driftSpec>): Schedule | undefined {
  const every = args.values['every'];
  const cron = args.values['cron'];
  if (every !== undefined && cron !== undefined) throw new UsageError('--every and --cron exclude each other');
  try {
    if (every !== undefined) return { kind: 'every', ms: parseInterval(every) };
    if (cron !== undefined) return { kind: 'cron', cron: parseCron(cron) };
  } catch (error) {
    if (error instanceof CronError) throw new UsageError(`${error.message}`);
    throw error;
  }
  return undefined;
}

function render(report: DriftReport, format: Format): string {
  if (format === 'json') return `${JSON.stringify(driftReportJson(report), null, 2)}\n`;
  if (format === 'markdown') return renderDriftMarkdown(report);
  return renderDriftSummary(report);
}

function messageOf(error: unknown): string {
  if (error instanceof DesiredStateError) return error.diagnostics.map(formatDiagnostic).join('; ');
  if (isDbError(error)) return redactConnectionStrings(`database error: ${formatDbError(error)}`);
  return redactConnectionStrings(error instanceof Error ? error.message : String(error));
}

export async function runDrift(args: ParsedArgs<typeof driftSpec>, io: Io): Promise<number> {
  const format = formatOf(args);
  const schedule = scheduleOf(args);
  const webhook = args.values['webhook'];
  const exec = args.values['exec'];
  if (schedule === undefined && (webhook !== undefined || exec !== undefined))
    throw new UsageError('--webhook and --exec need --every or --cron');
  if (webhook !== undefined) {
    try {
      webhookTarget(webhook);
    } catch (error) {
      if (error instanceof WebhookUrlError) throw new UsageError(error.message);
      throw error;
    }
  }
  const databaseUrl = args.values['database-url'];

  if (args.values['history']) return history(args, io, format);

  const given = args.values['schema'];
  const schemaPath = given ?? 'schema.yaml';
  const hasSchema =
    given !== undefined ||
    (await access(resolve(io.cwd, schemaPath)).then(
      () => true,
      () => false,
    ));
  const loadDesired = async (): Promise<DesiredState | undefined> =>
    hasSchema ? loadDesiredState(pathIn(io, schemaPath), { cacheDir: join(io.cwd, '.pgreconcile', 'cache') }) : undefined;
  const record = Boolean(args.values['record']);
  if (given !== undefined) await requireFile(io, given);

  if (schedule === undefined) {
    const desired = await loadDesired();
    const db = await openDatabase({ databaseUrl, cwd: io.cwd });
    try {
      io.err(`${describeTarget(db)}\n`);
      const report = await drift({ db, desired, ...(hasSchema ? { schema: schemaPath } : {}), record, cacheDir: cacheDirOf(io) });
      io.out(render(report, format));
      return DRIFT_EXIT[report.state];
    } finally {
      await db.close();
    }
  }

  // Scheduled: one connection kept between checks, reopened after a failed check.
  const target = databaseUrl ?? io.env['DATABASE_URL'];
  const shownTarget = target ? redactUrl(target) : 'embedded PGlite database';
  let db: Db | undefined;
  const drop = async (): Promise<void> => {
    const old = db;
    db = undefined;
    await old?.close().catch(() => undefined);
  };
  const check = async (): Promise<DriftReport> => {
    try {
      const desired = await loadDesired();
      if (db === undefined) {
        db = await openDatabase({ databaseUrl, cwd: io.cwd });
        io.err(`${describeTarget(db)}\n`);
      }
      const report = await driftOfDatabase(db, desired, { cacheDir: cacheDirOf(io), ...(hasSchema ? { schema: schemaPath } : {}) });
      if (record) await recordDriftCheck(db, report).catch((error: unknown) => io.err(`recording the check failed: ${messageOf(error)}\n`));
      return report;
    } catch (error) {
      await drop();
      return errorReport(shownTarget, new Error(messageOf(error)));
    }
  };
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await runDriftLoop({
      schedule,
      check,
      signal: controller.signal,
      onReport: (report) => io.out(format === 'json' ? `${JSON.stringify(driftReportJson(report))}\n` : `${checkLine(report)}\n`),
      onStateChange: (report) =>
        notifyStateChange(report, {
          ...(webhook !== undefined ? { webhook } : {}),
          ...(exec !== undefined ? { exec } : {}),
          log: (line) => io.err(`${new Date().toISOString()} ${line}\n`),
        }),
    });
    io.err('drift: stopped\n');
    return EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await drop();
  }
}

async function history(args: ParsedArgs<typeof driftSpec>, io: Io, format: Format): Promise<number> {
  const db = await openDatabase({ databaseUrl: args.values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const checks = await listDriftChecks(db);
    if (format === 'json') {
      io.out(
        `${JSON.stringify(
          checks.map((c) => ({
            id: c.id,
            checked_at: c.checkedAt,
            state: c.state,
            counts: { pending: c.pending, drifted: c.drifted },
            digest: c.digest,
            last_version: c.lastVersion ?? null,
            error: c.error ?? null,
          })),
          null,
          2,
        )}\n`,
      );
      return EXIT.ok;
    }
    if (checks.length === 0) {
      io.out('No drift checks recorded (pgreconcile drift --record records them).\n');
      return EXIT.ok;
    }
    const lines = checks.map(
      (c) =>
        `${c.checkedAt}  ${c.state.padEnd(19)}  ${String(c.drifted).padStart(3)} drifted  ${String(c.pending).padStart(3)} pending  ${c.digest.slice(0, 12)}${c.error ? `  ${c.error.split('\n')[0]}` : ''}`,
    );
    io.out(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
