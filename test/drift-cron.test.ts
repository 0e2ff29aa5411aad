/** The 5-field cron parser, intervals, and the loop's timing (no database). */
import { describe, expect, it } from 'vitest';
import { CronError, nextCronTime, parseCron, parseInterval } from '../src/drift/cron.js';
import { delayUntilNext, runDriftLoop } from '../src/drift/drift-schedule.js';
import { errorReport, type DriftReport } from '../src/drift/check-drift.js';

const at = (iso: string): Date => new Date(iso);
const next = (expr: string, iso: string): string => nextCronTime(parseCron(expr), at(iso)).toISOString();

describe('parseCron and nextCronTime', () => {
  it('steps, lists, ranges, and the next matching minute (UTC)', () => {
    expect(next('*/5 * * * *', '2026-01-01T00:03:20Z')).toBe('2026-01-01T00:05:00.000Z');
    expect(next('*/5 * * * *', '2026-01-01T00:05:00Z')).toBe('2026-01-01T00:10:00.000Z');
    expect(next('0 9 * * 1-5', '2026-11-21T10:00:00Z')).toBe('2026-11-23T09:00:00.000Z'); // Saturday → Monday
    expect(next('30 2 1 * *', '2026-01-15T00:00:00Z')).toBe('2026-02-01T02:30:00.000Z');
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('15,45 */6 * * 7', '2026-11-21T00:00:00Z')).toBe('2026-11-22T00:15:00.000Z'); // 7 = Sunday
    expect(next('0 12 13 * 5', '2026-11-21T00:00:00Z')).toBe('2026-11-27T12:00:00.000Z'); // day-of-month OR day-of-week
    expect([...parseCron('10-20/5 * * * *').minutes]).toEqual([10, 15, 20]);
  });

  it('names the field that is wrong', () => {
    expect(() => parseCron('*/5 * * *')).toThrow(/expected 5 fields/);
    expect(() => parseCron('60 * * * *')).toThrow(/minute field "60": values must lie in 0-59/);
    expect(() => parseCron('* * * jan *')).toThrow(CronError);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step must be at least 1/);
  });

  it('reads intervals', () => {
    expect(parseInterval('5m')).toBe(300_000);
    expect(parseInterval('30s')).toBe(30_000);
    expect(parseInterval('1s')).toBe(1000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(() => parseInterval('5 minutes')).toThrow(/expected a number and a unit/);
  });
});

describe('runDriftLoop', () => {
  it('never overlaps checks, notifies only on state changes, stops on abort', async () => {
    const states: DriftReport['state'][] = ['in_sync', 'in_sync', 'drifted', 'drifted', 'error', 'in_sync'];
    let active = 0;
    let maxActive = 0;
    const notified: string[] = [];
    const controller = new AbortController();
    let i = 0;
    const count = await runDriftLoop({
      schedule: { kind: 'every', ms: 5 },
      signal: controller.signal,
      check: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 20)); // longer than the interval
        active--;
        const state = states[i++] ?? 'in_sync';
        if (i >= states.length) controller.abort();
        return state === 'error' ? errorReport('db', new Error('boom')) : { ...errorReport('db', ''), state, error: undefined };
      },
      onReport: () => undefined,
      onStateChange: async (r) => {
        notified.push(r.state);
      },
    });
    expect(count).toBe(6);
    expect(maxActive).toBe(1);
    expect(notified).toEqual(['drifted', 'error', 'in_sync']);
  });

  it('waits from the start of the last check (every) or for the next cron minute', () => {
    expect(delayUntilNext({ kind: 'every', ms: 1000 }, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00.300Z'))).toBe(700);
    expect(delayUntilNext({ kind: 'every', ms: 1000 }, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:02Z'))).toBe(0);
    expect(delayUntilNext({ kind: 'cron', cron: parseCron('*/5 * * * *') }, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:04:30Z'))).toBe(
      30_000,
    );
  });
});
