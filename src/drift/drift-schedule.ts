/**
 * Scheduled drift checks: one check at a time (never overlapping), one line per check, and a
 * notification (webhook, command) only when the state changes. A failing check is an `error`
 * state for that check; the loop goes on. An abort signal ends the loop between checks.
 */
import { redactSecrets, redactUrl } from '../db/redact.js';
import { spawn } from 'node:child_process';
import { nextCronTime, type CronSchedule } from './cron.js';
import type { DriftReport } from './check-drift.js';
import { driftReportJson } from './drift-render.js';

export type Schedule = { readonly kind: 'every'; readonly ms: number } | { readonly kind: 'cron'; readonly cron: CronSchedule };

export interface NotifyOptions {
  readonly webhook?: string;
  readonly exec?: string;
  /** Webhook attempts (default 3) and the first retry delay, doubled each time (default 500 ms). */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly log: (line: string) => void;
}

export interface LoopOptions {
  readonly schedule: Schedule;
  /** Runs one check; never throws (a failure is an `error` report). */
  readonly check: () => Promise<DriftReport>;
  /** Called with every report, before any notification. */
  readonly onReport: (report: DriftReport) => void | Promise<void>;
  /** Called when the state differs from the previous check's (the first check: when not in sync). */
  readonly onStateChange: (report: DriftReport, previous: DriftReport | undefined) => Promise<void>;
  readonly signal: AbortSignal;
  readonly now?: () => Date;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Milliseconds from `now` to the next check, given when the last one started. */
export function delayUntilNext(schedule: Schedule, lastStart: Date, now: Date): number {
  if (schedule.kind === 'every') return Math.max(0, lastStart.getTime() + schedule.ms - now.getTime());
  return Math.max(0, nextCronTime(schedule.cron, now).getTime() - now.getTime());
}

/**
 * Runs checks on the schedule until the signal aborts. With `every`, the first check runs at
 * once; with `cron`, at the first matching minute. Returns the number of checks run.
 *
 * @example
 * const ac = new AbortController();
 * process.on('SIGTERM', () => ac.abort());
 * await runDriftLoop({ schedule: { kind: 'every', ms: 60_000 }, check, onReport, onStateChange, signal: ac.signal });
 */
export async function runDriftLoop(options: LoopOptions): Promise<number> {
  const now = options.now ?? (() => new Date());
  let previous: DriftReport | undefined;
  let count = 0;
  if (options.schedule.kind === 'cron') await sleep(delayUntilNext(options.schedule, now(), now()), options.signal);
  while (!options.signal.aborted) {
    const started = now();
    const report = await options.check();
    count++;
    await options.onReport(report);
    const changed = previous === undefined ? report.state !== 'in_sync' : previous.state !== report.state;
    if (changed) await options.onStateChange(report, previous);
    previous = report;
    if (options.signal.aborted) break;
    await sleep(delayUntilNext(options.schedule, started, now()), options.signal);
  }
  return count;
}

/**
 * POSTs the JSON report to the webhook (retried with backoff) and/or runs the command with the
 * report on stdin. Failures are logged, never thrown.
 *
 * @example await notifyStateChange(report, { webhook: 'https://hooks.example/drift', log: console.error })
 */
export async function notifyStateChange(report: DriftReport, options: NotifyOptions): Promise<void> {
  const body = `${JSON.stringify(driftReportJson(report))}\n`;
  if (options.webhook !== undefined) await postWebhook(options.webhook, body, options);
  if (options.exec !== undefined) await runHook(options.exec, body, options.log);
}

async function postWebhook(url: string, body: string, options: NotifyOptions): Promise<void> {
  const attempts = Math.max(1, options.attempts ?? 3);
  let delay = options.retryDelayMs ?? 500;
  let why = '';
  let target: WebhookTarget;
  try {
    target = webhookTarget(url);
  } catch (error) {
    options.log(`webhook not sent: ${(error as Error).message}`);
    return;
  }
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'pgreconcile-drift', ...target.headers },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      why = `HTTP ${response.status}`;
    } catch (error) {
      why =
        error instanceof Error
          ? error.cause instanceof Error
            ? `${error.message}: ${error.cause.message}`
            : error.message
          : String(error);
    }
    if (attempt < attempts) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
  options.log(`webhook ${target.shown} failed after ${attempts} attempt(s): ${redactSecrets(why, target.secrets)}`);
}

/** A webhook as fetch sends it: the URL without user-info, the credentials as a header, and how to print it. */
export interface WebhookTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The URL without user-info, path kept, query replaced by `?***` (where tokens live). */
  readonly shown: string;
  /** What must never be printed: the user-info, the query, in the forms they may appear. */
  readonly secrets: readonly string[];
}

/** A webhook URL that cannot be used; its message never holds the URL's credentials. */
export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
}

/**
 * Reads a webhook URL: http or https only; user-info (`https://user:token@host/…`), which fetch
 * refuses, becomes an `Authorization: Basic` header. Throws a `WebhookUrlError` that names the
 * URL without its secrets.
 *
 * @example
 * webhookTarget('https://bot:s3cret@hooks.example/drift?key=k').shown  // 'https://hooks.example/drift?***'
 */
export function webhookTarget(url: string): WebhookTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new WebhookUrlError(`--webhook is not a valid URL (${redactUrl(url).replace(/\?.*$/, '?***')})`);
  }
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const secrets = [u.username, u.password, decode(u.username), decode(u.password), u.search.slice(1)].filter((v) => v !== '');
  const shown = `${u.protocol}//${u.host}${u.pathname}${u.search ? '?***' : ''}`;
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new WebhookUrlError(`--webhook must be an http:// or https:// URL (got ${shown})`);
  const headers: Record<string, string> = {};
  if (u.username !== '' || u.password !== '') {
    headers['authorization'] = `Basic ${Buffer.from(`${decode(u.username)}:${decode(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  return { url: u.toString(), headers, shown, secrets };
}

function runHook(command: string, body: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      log(`--exec command failed to start: ${error.message}`);
      resolve();
    });
    child.on('close', (code, signal) => {
      if (code !== 0) log(`--exec command exited with ${code ?? signal}`);
      resolve();
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(body);
  });
}
