/**
 * Steps for views and materialized views: create (with their comments), drop, replace in place,
 * options, rename, comments. What a view needs comes from its parsed query on the desired side
 * (`viewRequires`) and from pg_depend on the live side (`uses`): the graph orders the view after
 * what it reads and takes it off before what changes under it (docs/architecture.md rule 2).
 */
import type { ChangeOf } from '../../diff/changes.js';
import { commentText } from '../../diff/compare.js';
import { displayIdent, displayQualified, qualify, quoteIdent } from '../../model/ident.js';
import { nameKey, refKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import { formatCount, untrackable, type Hazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key, sequencesIn } from '../../plan/references.js';
import { literal } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { parseSql } from '../../sql/parser.js';
import type { View, ViewIndex } from './model.js';
import { querySql } from './query.js';

const word = (v: View): 'view' | 'materialized view' => (v.materialized ? 'materialized view' : 'view');
const sqlWord = (v: View): string => (v.materialized ? 'MATERIALIZED VIEW' : 'VIEW');

function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node !== null && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

type Names = readonly { readonly String?: { readonly sval?: string } }[] | undefined;
const namesOf = (names: Names): string[] => (names ?? []).map((n) => n.String?.sval ?? '');

/**
 * What a declared view's query needs before it is created (desired side): the tables it reads
 * and the columns of theirs it names (all of them for `*`), the views, the user functions it
 * calls, the enums it casts to or reads through a column, the sequences of `nextval('…')`.
 * Unqualified names resolve as the pinned search_path `public` does. `columns` are the
 * (table, column) pairs it reads, for `key.columnType`.
 */
export function viewRequires(view: View, ctx: PlanContext): { requires: string[]; columns: [QualifiedName, string][] } {
  const requires = new Set<string>([key.schema(view.schema)]);
  const columns: [QualifiedName, string][] = [];
  const query = querySql(view.query);
  const relations: QualifiedName[] = [];
  const named = new Set<string>();
  let star = false;
  walk(parseSql(query), (node) => {
    const range = node.RangeVar as { schemaname?: string; relname?: string } | undefined;
    if (range?.relname !== undefined) relations.push({ schema: range.schemaname ?? 'public', name: range.relname });
    const ref = node.ColumnRef as { fields?: { String?: { sval?: string }; A_Star?: object }[] } | undefined;
    for (const field of ref?.fields ?? []) {
      if (field.A_Star !== undefined) star = true;
      if (field.String?.sval !== undefined) named.add(field.String.sval);
    }
    const cast = node.TypeCast as { typeName?: { names?: Names } } | undefined;
    const typeNames = namesOf(cast?.typeName?.names);
    if (typeNames.length > 0) {
      const q = { schema: typeNames.length > 1 ? typeNames[0]! : 'public', name: typeNames[typeNames.length - 1]! };
      if (ctx.desired.enums.some((e) => e.schema === q.schema && e.name === q.name)) requires.add(key.type(q));
    }
  });
  for (const q of relations) {
    if (q.schema === view.schema && q.name === view.name) continue;
    const table = ctx.desired.tables.find((t) => t.schema === q.schema && t.name === q.name);
    if (table !== undefined) {
      requires.add(key.table(table));
      for (const column of table.columns) {
        if (!star && !named.has(column.name)) continue;
        requires.add(key.column(table, column.name));
        columns.push([table, column.name]);
        const typeKey = ctx.refs.userTypeKey(column.type);
        if (typeKey !== undefined && typeKey !== key.table(table)) requires.add(typeKey);
      }
    } else if (ctx.desired.views.some((v) => v.schema === q.schema && v.name === q.name)) requires.add(key.view(q));
  }
  for (const k of ctx.refs.callKeysIn(query)) requires.add(k);
  for (const seq of sequencesIn(query)) requires.add(key.sequence(seq));
  return { requires: [...requires], columns };
}

/** What a live view used (pg_depend): its drop runs before their drops and type changes. */
export function viewLiveRequires(view: View): string[] {
  const keys = [key.schema(view.schema)];
  for (const use of view.uses ?? []) {
    if (use.kind === 'column') {
      const table = { schema: use.schema ?? '', name: use.name };
      keys.push(key.column(table, use.sub ?? ''), key.columnType(table, use.sub ?? ''));
    } else keys.push(refKey(use));
  }
  return keys;
}

/** The WITH (...) of a view: its options; of a materialized view: its storage parameters. */
function withSql(v: View): string {
  const options: string[] = [];
  if (v.materialized) {
    for (const [name, value] of Object.entries(v.storage ?? {})) options.push(`${quoteIdent(name)} = ${literal(value)}`);
  } else {
    if (v.securityBarrier === true) options.push('security_barrier = true');
    if (v.securityInvoker === true) options.push('security_invoker = true');
    if (v.checkOption !== undefined) options.push(`check_option = ${v.checkOption === 'cascaded' ? 'cascaded' : 'local'}`);
  }
  return options.length > 0 ? ` WITH (${options.join(', ')})` : '';
}

/** The COMMENT statements of a view's comments that differ from `from`'s (all when `from` is undefined). */
function commentStatements(v: View, from: View | undefined): string[] {
  const out: string[] = [];
  // An empty comment is no comment (COMMENT … IS '' removes it).
  const text = (c: string | undefined): string => (c === undefined ? 'NULL' : literal(c));
  if (commentText(v.comment) !== commentText(from?.comment))
    out.push(`COMMENT ON ${sqlWord(v)} ${qualify(v)} IS ${text(commentText(v.comment))}`);
  const live = new Map((from?.columns ?? []).map((c) => [c.name, commentText(c.comment)]));
  const declared = new Map(v.columns.map((c) => [c.name, commentText(c.comment)]));
  for (const [name, comment] of declared)
    if (live.get(name) !== comment) out.push(`COMMENT ON COLUMN ${qualify(v)}.${quoteIdent(name)} IS ${text(comment)}`);
  for (const [name, comment] of live)
    if (comment !== undefined && !declared.has(name)) out.push(`COMMENT ON COLUMN ${qualify(v)}.${quoteIdent(name)} IS NULL`);
  return out;
}

const common = (v: View, change: StepDraft['change']) => ({
  objectKind: word(v),
  object: displayQualified(v),
  change,
});

export function createViewSteps(change: ChangeOf<'create_view'>, ctx: PlanContext): StepDraft[] {
  const v = change.view;
  const { requires, columns } = viewRequires(v, ctx);
  const noData = v.materialized && v.withData === false;
  const steps = [
    draft({
      ...common(v, change.kind),
      sql: `CREATE ${sqlWord(v)} ${qualify(v)}${withSql(v)} AS\n${querySql(v.query)}${noData ? '\nWITH NO DATA' : ''}`,
      action: 'create',
      ...(v.materialized && !noData ? { long: true } : {}),
      creates: [key.view(v), ...columns.map(([t, c]) => key.columnType(t, c))],
      requires,
    }),
  ];
  for (const sql of commentStatements(v, undefined))
    steps.push(draft({ ...common(v, change.kind), sql, action: 'create', requires: [key.view(v)] }));
  for (const index of v.indexes ?? [])
    steps.push(
      draft({
        ...common(v, change.kind),
        sql: createIndexSql(v, index),
        action: 'create',
        detail: `index ${displayIdent(index.name)}`,
        creates: [key.index(v.schema, index.name)],
        requires: [key.view(v)],
      }),
    );
  // Put back with its comments and indexes: the last of them ends the span its drop opened.
  if (change.rebuild === true) steps[steps.length - 1] = { ...steps[steps.length - 1]!, span: 'closes' };
  return steps;
}

export function dropViewSteps(change: ChangeOf<'drop_view'>, ctx: PlanContext): StepDraft[] {
  const v = change.view;
  const hazards: Hazard[] = [];
  const rows = v.estimatedRows !== undefined && v.estimatedRows > 0 ? `about ${formatCount(v.estimatedRows)} rows` : 'its rows';
  if (change.rebuild !== true) {
    hazards.push(untrackable(`${word(v)} ${displayQualified(v)} is dropped (it is not in the file)`));
    if (v.materialized) hazards.push({ kind: 'deletes_data', message: `materialized view ${displayQualified(v)} is dropped with ${rows}` });
  } else if (v.materialized) {
    const to = ctx.desired.views.find((d) => nameKey(d.schema, d.name) === nameKey(v.schema, v.name));
    hazards.push(
      to?.withData === false
        ? {
            kind: 'deletes_data',
            message: `materialized view ${displayQualified(v)} is created again WITH NO DATA: ${rows} are gone until it is refreshed`,
          }
        : {
            kind: 'table_rewrite',
            message: `materialized view ${displayQualified(v)} is dropped and built again from its query (${rows}): the build runs its whole query`,
          },
    );
  }
  return [
    draft({
      ...common(v, change.kind),
      sql: `DROP ${sqlWord(v)} ${qualify(v)}`,
      hazards,
      action: 'drop',
      ...(change.rebuild === true ? { span: 'opens' as const } : {}),
      drops: [key.view(v)],
      liveRequires: viewLiveRequires(v),
    }),
  ];
}

export function replaceViewSteps(change: ChangeOf<'replace_view'>, ctx: PlanContext): StepDraft[] {
  const v = change.to;
  const { requires, columns } = viewRequires(v, ctx);
  return [
    draft({
      ...common(v, change.kind),
      sql: `CREATE OR REPLACE VIEW ${qualify(v)}${withSql(v)} AS\n${querySql(v.query)}`,
      action: 'alter',
      detail: 'query replaced',
      creates: [key.view(v), ...columns.map(([t, c]) => key.columnType(t, c))],
      // Renamed too: after the rename.
      requires: change.from.name !== v.name ? [...requires, key.view(v)] : requires,
      liveRequires: viewLiveRequires(change.from),
    }),
  ];
}

export function alterViewOptionsSteps(change: ChangeOf<'alter_view_options'>): StepDraft[] {
  const { from, to } = change;
  const set: string[] = [];
  const reset: string[] = [];
  if (to.materialized) {
    for (const [name, value] of Object.entries(to.storage ?? {}))
      if (from.storage?.[name] !== value) set.push(`${quoteIdent(name)} = ${literal(value)}`);
    for (const name of Object.keys(from.storage ?? {})) if (to.storage?.[name] === undefined) reset.push(quoteIdent(name));
  } else {
    const flag = (name: string, a: boolean | undefined, b: boolean | undefined): void => {
      if ((a ?? false) === (b ?? false)) return;
      if (a === true) set.push(`${name} = true`);
      else reset.push(name);
    };
    flag('security_barrier', to.securityBarrier, from.securityBarrier);
    flag('security_invoker', to.securityInvoker, from.securityInvoker);
    if (to.checkOption !== from.checkOption) {
      if (to.checkOption === undefined) reset.push('check_option');
      else set.push(`check_option = ${to.checkOption === 'cascaded' ? 'cascaded' : 'local'}`);
    }
  }
  const clauses = [...(set.length > 0 ? [`SET (${set.join(', ')})`] : []), ...(reset.length > 0 ? [`RESET (${reset.join(', ')})`] : [])];
  return clauses.map((clause) =>
    draft({
      ...common(to, change.kind),
      sql: `ALTER ${sqlWord(to)} ${qualify(to)} ${clause}`,
      action: 'alter',
      detail: 'options',
      requires: [key.view(to)],
    }),
  );
}

export function renameViewSteps(change: ChangeOf<'rename_view'>): StepDraft[] {
  const { from, to } = change;
  return [
    draft({
      ...common(to, change.kind),
      sql: `ALTER ${sqlWord(from)} ${qualify(from)} RENAME TO ${quoteIdent(to.name)}`,
      action: 'alter',
      detail: `renamed from ${displayIdent(from.name)}`,
      creates: [key.view(to)],
      drops: [key.view(from)],
      requires: [key.schema(to.schema)],
    }),
  ];
}

function createIndexSql(v: View, index: ViewIndex): string {
  const columns = index.columns.map(quoteIdent).join(', ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${qualify(v)} USING ${quoteIdent(index.using)} (${columns})`;
}

export function createViewIndexSteps(change: ChangeOf<'create_view_index'>): StepDraft[] {
  const { view: v, index } = change;
  const rows = v.estimatedRows !== undefined ? `about ${formatCount(v.estimatedRows)} rows` : 'its rows';
  return [
    draft({
      ...common(v, change.kind),
      sql: createIndexSql(v, index),
      action: 'create',
      detail: `index ${displayIdent(index.name)}`,
      hazards: [
        {
          kind: 'index_build',
          message: `index ${displayIdent(index.name)} is built on materialized view ${displayQualified(v)} (${rows})`,
        },
      ],
      creates: [key.index(v.schema, index.name)],
      requires: [key.view(v)],
    }),
  ];
}

export function dropViewIndexSteps(change: ChangeOf<'drop_view_index'>): StepDraft[] {
  const { view: v, index } = change;
  return [
    draft({
      ...common(v, change.kind),
      sql: `DROP INDEX ${qualify({ schema: v.schema, name: index.name })}`,
      action: 'drop',
      detail: `index ${displayIdent(index.name)}`,
      hazards: [
        { kind: 'index_dropped', message: `index ${displayIdent(index.name)} of materialized view ${displayQualified(v)} is dropped` },
      ],
      drops: [key.index(v.schema, index.name)],
      liveRequires: [key.view(v)],
    }),
  ];
}

export function commentViewSteps(change: ChangeOf<'comment_view'>): StepDraft[] {
  const v = change.view;
  // After a rename the statements name the view by its new name: they require it.
  return commentStatements(v, change.from).map((sql) =>
    draft({ ...common(v, change.kind), sql, action: 'alter', detail: 'comment', requires: [key.view(v)] }),
  );
}
