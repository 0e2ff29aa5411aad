/**
 * The constraint kind's part of the pull writer: a table's `primary_key`, `unique`, `checks`,
 * `foreign_keys` and `exclude` (the last entry of a table's map). Names the loader recomputes
 * exactly are left out; `no action`, `simple` and validated constraints are defaults.
 */
import type { PullEntry, PullPlacement } from '../kind.js';
import {
  checkReferencedColumns,
  defaultCheckName,
  defaultForeignKeyName,
  defaultPrimaryKeyName,
  defaultUniqueName,
} from '../../model/default-names.js';
import type { ExclusionConstraint, ForeignKey, Table } from '../../model/types.js';
import { readableExpression } from '../../pull/readable.js';
import { namePart, type PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlSeq, yamlString } from '../../pull/yaml-writer.js';
import { SqlSyntaxError } from '../../sql/parser.js';
import { commentEntry } from '../comment/pull.js';

/** The constraint names a table's file entry can leave out, exactly as the loader recomputes them. */
interface OmittedNames {
  readonly primaryKey: boolean;
  readonly constraints: ReadonlySet<string>;
}

function constraintEntries(ctx: PullContext, t: Table): PullEntry[] {
  // Check expressions as the file writes them (their referenced columns name the default).
  const checkTexts = new Map(
    t.checks.map((c) => [
      c.name,
      ctx.choose(t, 'check', c.name, 0, c.expression, readableExpression(c.expression, ctx.enumTest(t.schema))),
    ]),
  );
  const omitted = omittableNames(t, checkTexts);
  let primaryKey: YamlNode | undefined;
  if (t.primaryKey !== undefined) {
    const pk = t.primaryKey;
    const list = yamlSeq(pk.columns.map(yamlString), 'flow');
    primaryKey =
      omitted.primaryKey && pk.comment === undefined
        ? list
        : yamlMap([['name', omitted.primaryKey ? undefined : yamlString(pk.name)], ['columns', list], commentEntry(pk.comment)]);
  }
  const uniques = t.uniques.map((u) =>
    yamlMap(
      [
        ['name', omitted.constraints.has(u.name) ? undefined : yamlString(u.name)],
        ['columns', yamlSeq(u.columns.map(yamlString), 'flow')],
        ['nulls_not_distinct', u.nullsNotDistinct ? yamlBool(true) : undefined],
        ['deferrable', u.deferrable ? yamlBool(true) : undefined],
        ['initially_deferred', u.initiallyDeferred ? yamlBool(true) : undefined],
        commentEntry(u.comment),
      ],
      'block',
    ),
  );
  const checks = t.checks.map((c) =>
    yamlMap(
      [
        ['name', omitted.constraints.has(c.name) ? undefined : yamlString(c.name)],
        ['expression', yamlString(checkTexts.get(c.name) ?? c.expression)],
        ['no_inherit', c.noInherit ? yamlBool(true) : undefined],
        ['validated', c.notValid ? yamlBool(false) : undefined],
        commentEntry(c.comment),
      ],
      'block',
    ),
  );
  const foreignKeys = t.foreignKeys.map((f) => foreignKeyNode(t, f, omitted.constraints.has(f.name)));
  const exclusions = (t.exclusions ?? []).map((x) => [x.name, exclusionNode(x)] as const);
  return [
    ['primary_key', primaryKey],
    ['unique', uniques.length > 0 ? yamlSeq(uniques, 'block') : undefined],
    ['checks', checks.length > 0 ? yamlSeq(checks, 'block') : undefined],
    ['foreign_keys', foreignKeys.length > 0 ? yamlSeq(foreignKeys, 'block') : undefined],
    ['exclude', exclusions.length > 0 ? yamlMap(exclusions, 'block') : undefined],
  ];
}

function foreignKeyNode(t: Table, f: ForeignKey, nameOmitted: boolean): YamlNode {
  const target = f.references;
  const sameSchema = target.schema === t.schema && namePart(target.table) === target.table;
  const references = yamlMap([
    ['schema', sameSchema ? undefined : yamlString(target.schema)],
    ['table', yamlString(target.table)],
    ['columns', yamlSeq(target.columns.map(yamlString), 'flow')],
  ]);
  return yamlMap(
    [
      ['name', nameOmitted ? undefined : yamlString(f.name)],
      ['columns', yamlSeq(f.columns.map(yamlString), 'flow')],
      ['references', references],
      ['on_delete', f.onDelete !== 'no action' ? yamlString(f.onDelete) : undefined],
      ['on_update', f.onUpdate !== 'no action' ? yamlString(f.onUpdate) : undefined],
      ['match', f.match !== 'simple' ? yamlString(f.match) : undefined],
      ['deferrable', f.deferrable ? yamlBool(true) : undefined],
      ['initially_deferred', f.initiallyDeferred ? yamlBool(true) : undefined],
      ['validated', f.notValid ? yamlBool(false) : undefined],
      commentEntry(f.comment),
    ],
    'block',
  );
}

/**
 * Which constraint names the file may leave out: those the loader (src/desired/to-model.ts)
 * recomputes exactly. It reserves the names written out, then names the others in file order
 * (primary key, unique, checks, foreign keys), skipping names already taken as PostgreSQL does.
 * A name that would come out differently is written; that changes what is taken, so the
 * simulation runs again until nothing changes.
 */
function omittableNames(t: Table, checkTexts: ReadonlyMap<string, string>): OmittedNames {
  const written = new Set<string>();
  const checkColumns = new Map<string, string[]>();
  for (const c of t.checks) {
    try {
      checkColumns.set(c.name, checkReferencedColumns(checkTexts.get(c.name) ?? c.expression));
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      written.add(c.name);
    }
  }
  for (;;) {
    let changed = false;
    const constraints = new Set<string>();
    const relations = new Set<string>([t.name]);
    const pk = t.primaryKey;
    if (pk !== undefined && written.has(pk.name)) {
      constraints.add(pk.name);
      relations.add(pk.name);
    }
    for (const u of t.uniques) {
      if (!written.has(u.name)) continue;
      constraints.add(u.name);
      relations.add(u.name);
    }
    for (const c of t.checks) if (written.has(c.name)) constraints.add(c.name);
    for (const f of t.foreignKeys) if (written.has(f.name)) constraints.add(f.name);
    for (const i of t.indexes) relations.add(i.name);
    const settle = (actual: string, computed: string): void => {
      constraints.add(computed);
      relations.add(computed);
      if (computed !== actual) {
        written.add(actual);
        changed = true;
      }
    };
    if (pk !== undefined && !written.has(pk.name)) settle(pk.name, defaultPrimaryKeyName(t.name, relations));
    for (const u of t.uniques) if (!written.has(u.name)) settle(u.name, defaultUniqueName(t.name, u.columns, relations));
    for (const c of t.checks)
      if (!written.has(c.name)) settle(c.name, defaultCheckName(t.name, checkColumns.get(c.name) ?? [], constraints));
    for (const f of t.foreignKeys) if (!written.has(f.name)) settle(f.name, defaultForeignKeyName(t.name, f.columns, constraints));
    if (!changed) break;
  }
  const names = new Set<string>();
  for (const u of t.uniques) if (!written.has(u.name)) names.add(u.name);
  for (const c of t.checks) if (!written.has(c.name)) names.add(c.name);
  for (const f of t.foreignKeys) if (!written.has(f.name)) names.add(f.name);
  return { primaryKey: t.primaryKey !== undefined && !written.has(t.primaryKey.name), constraints: names };
}

/**
 * An exclusion constraint as the file writes it: expressions and the predicate in the server's
 * own text (exact by construction), the method only where it is not gist.
 */
function exclusionNode(x: ExclusionConstraint): YamlNode {
  return yamlMap([
    ['using', x.using !== 'gist' ? yamlString(x.using) : undefined],
    [
      'elements',
      yamlSeq(
        x.elements.map((e) =>
          yamlMap(
            [
              ['column', e.column !== undefined ? yamlString(e.column) : undefined],
              ['expression', e.expression !== undefined ? yamlString(e.expression) : undefined],
              ['with', yamlString(e.operator)],
            ],
            'flow',
          ),
        ),
      ),
    ],
    ['include', x.include.length > 0 ? yamlSeq(x.include.map(yamlString)) : undefined],
    ['where', x.where !== undefined ? yamlString(x.where) : undefined],
    ['deferrable', x.deferrable ? yamlBool(true) : undefined],
    ['initially_deferred', x.initiallyDeferred ? yamlBool(true) : undefined],
    commentEntry(x.comment),
  ]);
}

export const constraintPull: readonly PullPlacement[] = [{ in: 'table', entries: constraintEntries }];
