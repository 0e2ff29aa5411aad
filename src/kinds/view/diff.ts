/**
 * Views and materialized views, keyed by (schema, name), `renamed_from` a rename. A query is
 * compared by the server (./judge.ts, docs/architecture.md rule 1): the declared query's
 * pg_get_viewdef against the live one; where the server could not judge, by text.
 *
 * A changed query is replaced in place (CREATE OR REPLACE VIEW) when PostgreSQL allows it: the
 * live columns come first in the new query, same names, same types. Otherwise the view is
 * rebuilt: dropped and created again, with every live view that uses it (transitively). A view is
 * rebuilt too when a change the plan makes under it needs it gone: a type (or collation) change
 * of a column it uses, a function it uses dropped (a re-created function is dropped first), an
 * enum it uses replaced or dropped, a table or sequence it uses dropped. A column drop that an
 * unchanged view uses is left to the column's hazard (blocked_by_dependents names the view).
 */
import type { Change } from '../../diff/changes.js';
import { commentText } from '../../diff/compare.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { matchObjects, nameKey } from '../../diff/match.js';
import { columnKey, functionKey, refKey, type ObjectRef } from '../../model/object-ref.js';
import type { View, ViewIndex } from './model.js';
import { queryText } from './model.js';
import type { ViewForm } from './judge.js';

/** The view kind's diff (`ObjectKind.diff`). */
export const viewDiff: ModelKindDiff = {
  scope: 'model',
  run: (d) => diffViews(d.want.views, d.have.views, d.earlier, (v) => d.judge?.forView?.(v.schema, v.name), d.live.views),
};

const viewKey = (v: { readonly schema: string; readonly name: string }): string => nameKey(v.schema, v.name);

/** The keys of what `uses` names, as `touchedKeys` names them. */
function useKey(ref: ObjectRef): string {
  if (ref.kind === 'column') return columnKey({ schema: ref.schema ?? '', name: ref.name }, ref.sub ?? '');
  return refKey(ref);
}

/**
 * What the plan's other changes alter under a view so that the view must be off while they run:
 * columns whose type or collation changes, dropped functions, replaced or dropped enums (and
 * the columns a replaced enum converts), dropped tables and sequences.
 */
export function touchedKeys(changes: readonly Change[]): Set<string> {
  const touched = new Set<string>();
  for (const c of changes) {
    switch (c.kind) {
      case 'alter_column':
        if (c.attributes.includes('type') || c.attributes.includes('collation')) touched.add(columnKey(c.table, c.from.name));
        break;
      case 'drop_function':
        touched.add(functionKey(c.fn));
        break;
      case 'replace_enum':
        touched.add(refKey({ kind: 'type', schema: c.from.schema, name: c.from.name }));
        for (const { table, column } of c.columns) touched.add(columnKey(table, column.name));
        break;
      case 'drop_enum':
        touched.add(refKey({ kind: 'type', schema: c.enum.schema, name: c.enum.name }));
        break;
      case 'drop_table':
        touched.add(refKey({ kind: 'table', schema: c.table.schema, name: c.table.name }));
        for (const column of c.table.columns) touched.add(columnKey(c.table, column.name));
        break;
      case 'drop_sequence':
        touched.add(refKey({ kind: 'sequence', schema: c.sequence.schema, name: c.sequence.name }));
        break;
      default:
        break;
    }
  }
  return touched;
}

type QueryVerdict = { readonly same: boolean; readonly replaceable: boolean };

/** Whether the declared query is the live one, and whether CREATE OR REPLACE VIEW can take it. */
function judgeQuery(to: View, from: View, form: ViewForm | undefined): QueryVerdict {
  if (form !== undefined && 'query' in form) {
    if (form.query === from.query) return { same: true, replaceable: true };
    const replaceable = from.columns.every((c, i) => form.columns[i]?.name === c.name && form.columns[i]?.type === c.type);
    return { same: false, replaceable };
  }
  // Unjudged (or the server rejected it: the plan will say so when it runs): by text.
  return { same: queryText(to.query) === queryText(from.query), replaceable: false };
}

const sameOptions = (a: View, b: View): boolean =>
  (a.securityBarrier ?? false) === (b.securityBarrier ?? false) &&
  (a.securityInvoker ?? false) === (b.securityInvoker ?? false) &&
  a.checkOption === b.checkOption;

const sameStorage = (a: View, b: View): boolean => {
  const x = a.storage ?? {};
  const y = b.storage ?? {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((k) => x[k] === y[k]);
};

/** The comments of `to` that differ from `from`'s (all of them when `from` is undefined). */
function commentsDiffer(to: View, from: View | undefined): boolean {
  if (from === undefined) return commentText(to.comment) !== undefined || to.columns.some((c) => commentText(c.comment) !== undefined);
  if (commentText(to.comment) !== commentText(from.comment)) return true;
  const live = new Map(from.columns.map((c) => [c.name, commentText(c.comment)]));
  const declared = new Map(to.columns.map((c) => [c.name, commentText(c.comment)]));
  for (const [name, comment] of declared) if (live.get(name) !== comment) return true;
  for (const [name, comment] of live) if (comment !== undefined && !declared.has(name)) return true;
  return false;
}

/**
 * @example
 * diffViews([{ schema: 'public', name: 'v', materialized: false, query: 'SELECT 1', columns: [] }], [], [], () => undefined, [])
 * // [{ kind: 'create_view', view: { schema: 'public', name: 'v', ... } }]
 */
export function diffViews(
  desired: readonly View[],
  live: readonly View[],
  earlier: readonly Change[],
  formOf: (v: View) => ViewForm | undefined,
  allLive: readonly View[] = live,
): Change[] {
  const matching = matchObjects(desired, live, {
    desired: viewKey,
    live: viewKey,
    previous: (v) => (v.renamedFrom === undefined ? undefined : nameKey(v.schema, v.renamedFrom)),
  });
  const changes: Change[] = [];
  const touched = touchedKeys(earlier);
  // Live views (by key) that are dropped: rebuilt, or not declared.
  const off = new Set<string>(matching.removed.map(viewKey));
  const verdicts = new Map<string, QueryVerdict>();
  for (const { desired: to, live: from } of matching.pairs) {
    const verdict = judgeQuery(to, from, formOf(to));
    verdicts.set(viewKey(from), verdict);
    const rebuild =
      to.materialized !== from.materialized ||
      (!verdict.same && (to.materialized || !verdict.replaceable)) ||
      (from.uses ?? []).some((u) => touched.has(useKey(u)));
    if (rebuild) off.add(viewKey(from));
  }
  // Whatever uses a view that goes off goes off too (and comes back after it).
  const users = allLive.filter((v) => v.uses !== undefined && v.uses.some((u) => u.kind === 'view'));
  for (let grew = true; grew;) {
    grew = false;
    for (const v of users) {
      if (off.has(viewKey(v))) continue;
      if (v.uses!.some((u) => u.kind === 'view' && off.has(nameKey(u.schema ?? '', u.name)))) {
        off.add(viewKey(v));
        grew = true;
      }
    }
  }
  // A created view's comments are statements of its create_view (./steps.ts).
  for (const view of matching.added) changes.push({ kind: 'create_view', view });
  for (const { desired: to, live: from, renamed } of matching.pairs) {
    if (off.has(viewKey(from))) {
      changes.push({ kind: 'drop_view', view: from, rebuild: true }, { kind: 'create_view', view: to, rebuild: true });
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_view', from, to });
    const verdict = verdicts.get(viewKey(from))!;
    if (!verdict.same) changes.push({ kind: 'replace_view', from, to });
    else if (!to.materialized && !sameOptions(to, from)) changes.push({ kind: 'alter_view_options', from, to });
    else if (to.materialized && !sameStorage(to, from)) changes.push({ kind: 'alter_view_options', from, to });
    changes.push(...commentChange(to, from));
    if (to.materialized) changes.push(...diffIndexes(to, from));
  }
  for (const view of matching.removed) changes.push({ kind: 'drop_view', view });
  return changes;
}

const sameIndex = (a: ViewIndex, b: ViewIndex): boolean =>
  b.definition === undefined && a.unique === b.unique && a.using === b.using && a.columns.join('\u0000') === b.columns.join('\u0000');

/** A kept materialized view's indexes: by name; a live one the format cannot declare is left alone unless declared. */
function diffIndexes(to: View, from: View): Change[] {
  const out: Change[] = [];
  const live = new Map((from.indexes ?? []).map((i) => [i.name, i]));
  const declared = new Set((to.indexes ?? []).map((i) => i.name));
  for (const index of from.indexes ?? [])
    if (!declared.has(index.name) && index.definition === undefined) out.push({ kind: 'drop_view_index', view: from, index });
  for (const index of to.indexes ?? []) {
    const was = live.get(index.name);
    if (was !== undefined && sameIndex(index, was)) continue;
    if (was !== undefined) out.push({ kind: 'drop_view_index', view: from, index: was });
    out.push({ kind: 'create_view_index', view: to, index });
  }
  return out;
}

function commentChange(view: View, from: View | undefined): Change[] {
  return commentsDiffer(view, from) ? [{ kind: 'comment_view', view, ...(from !== undefined ? { from } : {}) }] : [];
}
