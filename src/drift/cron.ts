/**
 * The 5-field cron form (`minute hour day-of-month month day-of-week`): numbers, `*`, lists
 * `a,b`, ranges `a-b`, steps `*\/n` and `a-b/n`; day of week 0–7 (0 and 7 are Sunday).
 * Times are UTC.
 */

export interface CronSchedule {
  readonly source: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week were restricted (cron ORs them when both are). */
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

/** A cron expression that cannot be read; the message names the field. */
export class CronError extends Error {
  override readonly name = 'CronError';
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number], source: string): Set<number> {
  const out = new Set<number>();
  const fail = (why: string): never => {
    throw new CronError(`cron "${source}": ${field.name} field "${text}": ${why}`);
  };
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) fail(`"${part}" is not a number, *, a range a-b or a step /n`);
    const [, whole, a, b, s] = m!;
    const step = s === undefined ? 1 : Number(s);
    if (step < 1) fail('a step must be at least 1');
    const from = whole === '*' ? field.min : Number(a);
    const to = whole === '*' ? field.max : b !== undefined ? Number(b) : s !== undefined ? field.max : from;
    if (from < field.min || to > field.max || from > to) fail(`values must lie in ${field.min}-${field.max}`);
    for (let v = from; v <= to; v += step) out.add(field.name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

/**
 * Reads a 5-field cron expression.
 *
 * @example parseCron('*\/5 * * * *').minutes.has(10) // true
 */
export function parseCron(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(`cron "${source}": expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`);
  const [mi, h, d, mo, w] = parts as [string, string, string, string, string];
  return {
    source,
    minutes: parseField(mi, FIELDS[0], source),
    hours: parseField(h, FIELDS[1], source),
    days: parseField(d, FIELDS[2], source),
    months: parseField(mo, FIELDS[3], source),
    weekdays: parseField(w, FIELDS[4], source),
    daysRestricted: d !== '*',
    weekdaysRestricted: w !== '*',
  };
}

function dayMatches(c: CronSchedule, t: Date): boolean {
  const dom = c.days.has(t.getUTCDate());
  const dow = c.weekdays.has(t.getUTCDay());
  if (c.daysRestricted && c.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The first time strictly after `after` (to the minute) that the schedule matches.
 *
 * @example nextCronTime(parseCron('*\/5 * * * *'), new Date('2026-01-01T00:03:20Z')) // 2026-01-01T00:05:00Z
 */
export function nextCronTime(c: CronSchedule, after: Date): Date {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // Four years of minutes bounds the search (29 February).
  for (let i = 0; i < 4 * 366 * 24 * 60; i++) {
    if (!c.months.has(t.getUTCMonth() + 1) || !dayMatches(c, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!c.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (c.minutes.has(t.getUTCMinutes())) return t;
    t.setUTCMinutes(t.getUTCMinutes() + 1);
  }
  throw new CronError(`cron "${c.source}": never matches`);
}

/**
 * An interval such as `30s`, `5m`, `1h`, `500ms` in milliseconds.
 *
 * @example parseInterval('5m') // 300000
 */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new CronError(`interval "${text}": expected a number and a unit (ms, s, m, h), e.g. 30s or 5m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * unit;
  if (ms < 100) throw new CronError(`interval "${text}": at least 100ms`);
  return ms;
}
