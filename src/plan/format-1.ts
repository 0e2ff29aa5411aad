/**
 * Plan files of format 1 (written before issue 14) carry no step effect. Their steps were
 * written by the planner of that time in a fixed form, so the effect is recovered once, here, as
 * the file is read: the only place that looks at a step's SQL to learn what it does, and only for
 * format-1 files. Everything downstream reads `step.effect`.
 */
import { DDL, type StepEffect } from './step-draft.js';

const IDENT = '"((?:[^"]|"")+)"';
const BUILD = new RegExp(`^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?${IDENT} ON ${IDENT}\\.`);
const DROP = new RegExp(`^DROP INDEX (CONCURRENTLY )?${IDENT}\\.${IDENT}$`);
const ADD_VALUE = new RegExp(`^ALTER TYPE ${IDENT}\\.${IDENT} ADD VALUE '((?:[^']|'')*)'`);

const unquote = (text: string): string => text.replaceAll('""', '"');

/**
 * The effect of a format-1 step, from the SQL the format-1 planner wrote.
 *
 * @example
 * format1Effect('DROP INDEX CONCURRENTLY "public"."old_idx"')
 * // { kind: 'drop_index', index: { kind: 'index', schema: 'public', name: 'old_idx' }, concurrently: true }
 */
export function format1Effect(sql: string): StepEffect {
  const build = BUILD.exec(sql);
  if (build)
    return {
      kind: 'build_index',
      index: { kind: 'index', schema: unquote(build[3]!), name: unquote(build[2]!) },
      concurrently: build[1] !== undefined,
    };
  const drop = DROP.exec(sql);
  if (drop)
    return {
      kind: 'drop_index',
      index: { kind: 'index', schema: unquote(drop[2]!), name: unquote(drop[3]!) },
      concurrently: drop[1] !== undefined,
    };
  const add = ADD_VALUE.exec(sql);
  if (add)
    return {
      kind: 'add_enum_value',
      type: { kind: 'type', schema: unquote(add[1]!), name: unquote(add[2]!) },
      value: add[3]!.replaceAll("''", "'"),
    };
  return DDL;
}
