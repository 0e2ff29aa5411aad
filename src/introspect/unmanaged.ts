/**
 * What the live database holds that the desired-state format does not manage (views,
 * partitions, domains, policies, …), in ONE place: the list of those kinds (`UNMANAGED`), and
 * one catalog query (./queries/unmanaged.sql) run with the kinds' queries during introspection
 * (`LiveSchema.unmanaged`). `pull` lists them as warnings rather than dropping them without a
 * word; the plan's summary counts the objects among them, and `plan --strict` fails on them.
 *
 * A kind that manages some of these rows names them in its `covers` hook (src/kinds/kind.ts:
 * `covers: ['procedure']`): they are then left out here, so a new kind stops counting as
 * unmanaged by saying so once.
 */
import { KINDS } from '../kinds/registry.js';
import { compareText } from '../model/normalize.js';
import { catalogQuery } from './catalog-query.js';
import { matchesIgnore } from './ignore-glob.js';

/**
 * Every kind of row the query returns: what happens to it in the pulled file (the warning), and
 * whether it is an object of its own (`object`: counted by the plan's summary and `plan
 * --strict`) or a setting of an object the format does manage (only `pull` warns).
 */
export const UNMANAGED = {
  view: { object: true, consequence: 'views are not part of the format; it is not written (plans leave it alone)' },
  'materialized view': { object: true, consequence: 'materialized views are not part of the format; it is not written' },
  'foreign table': { object: true, consequence: 'foreign tables are not part of the format; it is not written' },
  partition: { object: true, consequence: 'a partition in another schema than its parent is not part of the format; it is not written' },
  'partition constraint': {
    object: true,
    consequence:
      "a primary key or exclusion constraint of a partition alone (not its parent's) is not part of the format; it is not written",
  },
  'partition trigger': {
    object: true,
    consequence: "a trigger of a partition alone (not its parent's) is not part of the format; it is not written",
  },
  inheritance: { object: false, consequence: 'table inheritance is not part of the format; the table is written without it' },
  'unlogged table': { object: false, consequence: 'the table is written as a logged table' },
  'table storage parameters': {
    object: false,
    consequence: 'table storage parameters are not part of the format; they are not written',
  },
  'table tablespace': { object: false, consequence: 'tablespaces are not part of the format; it is not written' },
  'row level security': { object: false, consequence: 'row level security is not part of the format; it is not written' },
  policy: { object: true, consequence: 'policies are not part of the format; it is not written' },
  'partition row level security': {
    object: false,
    consequence: "row level security of a partition alone (not its parent's) is not part of the format; it is not written",
  },
  'partition policy': {
    object: true,
    consequence: "a policy of a partition alone (not its parent's) is not part of the format; it is not written",
  },
  rule: { object: true, consequence: 'rules are not part of the format; it is not written' },
  constraint: { object: true, consequence: 'constraints of this kind are not part of the format; it is not written' },
  'virtual generated column': {
    object: false,
    consequence: 'virtual generated columns are not part of the format; it is written as a STORED one',
  },
  'statistics object': { object: true, consequence: 'extended statistics are not part of the format; it is not written' },
  domain: {
    object: true,
    consequence: 'domains are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  },
  'range type': {
    object: true,
    consequence:
      'range types are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  },
  'base type': {
    object: true,
    consequence:
      'base types are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  },
  'composite type': {
    object: true,
    consequence:
      'composite types are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  },
  procedure: { object: true, consequence: 'procedures are not part of the format; it is not written' },
  aggregate: { object: true, consequence: 'aggregates are not part of the format; it is not written' },
  'ordered-set aggregate': {
    object: true,
    consequence: 'ordered-set and hypothetical-set aggregates are not part of the format; it is not written',
  },
  'window function': { object: true, consequence: 'window functions are not part of the format; it is not written' },
  'aggregate comment': { object: false, consequence: 'comments on aggregates are not part of the format yet; it is not written' },
  'domain check comment': {
    object: false,
    consequence: 'comments on the checks of domains are not part of the format yet; it is not written',
  },
  privileges: { object: false, consequence: 'privileges (GRANT) are not managed; they are not written' },
  'event trigger': { object: true, consequence: 'event triggers are not part of the format; it is not written' },
} as const satisfies Readonly<Record<string, { readonly object: boolean; readonly consequence: string }>>;

/** A kind of row of the unmanaged query: `view`, `procedure`, `privileges`, … */
export type UnmanagedKind = keyof typeof UNMANAGED;

export interface UnmanagedObject {
  /** `view`, `partition`, `procedure`, `domain`, `policy`, … (a key of `UNMANAGED`). */
  readonly kind: string;
  /** Undefined for database-wide objects (event triggers). */
  readonly schema?: string;
  readonly name: string;
  readonly detail?: string;
}

/** A row of ./queries/unmanaged.sql (NULL columns left out, as for every catalog query). */
export interface UnmanagedRow {
  readonly kind: string;
  readonly schema?: string;
  readonly name: string;
  readonly detail?: string;
}

/** Run with the kinds' queries, on the second connection (it is cheap). */
export const unmanagedQuery = catalogQuery<UnmanagedRow>('unmanaged', new URL('./queries/unmanaged.sql', import.meta.url), 'second');

/** The unmanaged kinds some kind of the registry manages (its `covers`). */
function coveredKinds(): ReadonlySet<string> {
  return new Set(KINDS.flatMap((kind) => kind.covers ?? []));
}

/**
 * An `ignore` pattern leaves the object out: "schema.name" as everywhere; a database-wide
 * object (an event trigger) by a pattern without a dot over its name.
 */
function ignored(ignore: readonly string[], row: UnmanagedRow): boolean {
  if (row.schema !== undefined) return matchesIgnore(ignore, row.schema, row.name);
  return matchesIgnore(
    ignore.filter((p) => !p.includes('.')),
    'public',
    row.name,
  );
}

const ORDER: readonly string[] = Object.keys(UNMANAGED);
const rank = (kind: string): number => (ORDER.includes(kind) ? ORDER.indexOf(kind) : ORDER.length);

/**
 * The query's rows as the objects left unmanaged: without what `ignore` matches or a kind
 * `covers`, in a fixed order (by kind, then schema and name).
 *
 * @example
 * unmanagedObjects([{ kind: 'view', schema: 'public', name: 'v' }, { kind: 'view', schema: 'public', name: 'tmp_v' }], ['tmp_*'])
 * // [{ kind: 'view', schema: 'public', name: 'v' }]
 */
export function unmanagedObjects(rows: readonly UnmanagedRow[], ignore: readonly string[]): UnmanagedObject[] {
  const covered = coveredKinds();
  return rows
    .filter((r) => !covered.has(r.kind) && !ignored(ignore, r))
    .map((r) => ({
      kind: r.kind,
      ...(r.schema !== undefined ? { schema: r.schema } : {}),
      name: r.name,
      ...(r.detail !== undefined && r.detail !== '' ? { detail: r.detail } : {}),
    }))
    .sort(
      (a, b) =>
        rank(a.kind) - rank(b.kind) ||
        compareText(a.schema ?? '', b.schema ?? '') ||
        compareText(a.name, b.name) ||
        compareText(a.detail ?? '', b.detail ?? ''),
    );
}

/** True for the objects of their own (not settings of a managed object): the plan's count and `--strict`. */
export function isUnmanagedObject(o: UnmanagedObject): boolean {
  return (UNMANAGED as Readonly<Record<string, { readonly object: boolean }>>)[o.kind]?.object ?? true;
}

/** The kinds whose row names the table they are on, the object itself in `detail`. */
const ON_TABLE: ReadonlySet<string> = new Set(['policy', 'partition policy', 'rule', 'constraint']);

/**
 * The object's kind and qualified name, as `--strict` lists it.
 *
 * @example
 * unmanagedLabel({ kind: 'view', schema: 'public', name: 'v' })                            // 'view public.v'
 * unmanagedLabel({ kind: 'procedure', schema: 'app', name: 'p', detail: 'integer' })      // 'procedure app.p(integer)'
 * unmanagedLabel({ kind: 'policy', schema: 'public', name: 'items', detail: 'own' })      // 'policy own on public.items'
 * unmanagedLabel({ kind: 'event trigger', name: 'audit_ddl', detail: 'ddl_command_end' }) // 'event trigger audit_ddl'
 */
export function unmanagedLabel(o: UnmanagedObject): string {
  const where = o.schema !== undefined ? `${o.schema}.${o.name}` : o.name;
  if (ON_TABLE.has(o.kind) && o.detail !== undefined) return `${o.kind} ${o.detail.replace(/ \(contype .\)$/, '')} on ${where}`;
  const args = ['procedure', 'aggregate', 'ordered-set aggregate', 'window function'].includes(o.kind) ? `(${o.detail ?? ''})` : '';
  return `${o.kind} ${where}${args}`;
}

/** `1 view`, `2 views`, `3 policies`, `2 statistics objects`. */
function plural(n: number, kind: string): string {
  if (n === 1) return `${n} ${kind}`;
  return `${n} ${/[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : kind.endsWith('s') ? kind : `${kind}s`}`;
}

/**
 * The plan summary's line on what it leaves unmanaged, or undefined when nothing is.
 *
 * @example
 * leftUnmanagedLine([{ kind: 'view', schema: 'public', name: 'v' }, { kind: 'policy', schema: 'public', name: 't', detail: 'p' }])
 * // 'Left unmanaged: 2 objects (1 view, 1 policy); `plan --strict` fails on them.'
 */
export function leftUnmanagedLine(objects: readonly UnmanagedObject[]): string | undefined {
  const counted = objects.filter(isUnmanagedObject);
  if (counted.length === 0) return undefined;
  const byKind = new Map<string, number>();
  for (const o of counted) byKind.set(o.kind, (byKind.get(o.kind) ?? 0) + 1);
  const kinds = [...byKind.entries()].map(([kind, n]) => plural(n, kind)).join(', ');
  const what = counted.length === 1 ? 'object' : 'objects';
  return `Left unmanaged: ${counted.length} ${what} (${kinds}); \`plan --strict\` fails on them.`;
}

/**
 * The warnings for what the format does not manage: one line each, except privileges, which
 * are summed up in one line (a database may grant on every table).
 *
 * @example
 * describeUnmanagedObjects([{ kind: 'privileges', schema: 'public', name: 'a' }, { kind: 'privileges', schema: 'public', name: 'b' }])
 * // ['privileges granted on 2 tables and sequences (public.a, public.b): privileges (GRANT) are not managed; they are not written']
 */
export function describeUnmanagedObjects(objects: readonly UnmanagedObject[]): string[] {
  const privileges = objects.filter((o) => o.kind === 'privileges');
  const lines = objects.filter((o) => o.kind !== 'privileges').map(describeUnmanaged);
  if (privileges.length > 0) {
    const names = privileges.slice(0, 5).map((o) => `${o.schema ?? ''}.${o.name}`);
    const more = privileges.length > 5 ? `, and ${privileges.length - 5} more` : '';
    const what = privileges.length === 1 ? 'table or sequence' : 'tables and sequences';
    lines.push(`privileges granted on ${privileges.length} ${what} (${names.join(', ')}${more}): ${UNMANAGED.privileges.consequence}`);
  }
  return lines;
}

/**
 * One warning line for an object the format does not manage.
 *
 * @example
 * describeUnmanaged({ kind: 'view', schema: 'public', name: 'v' })
 * // 'view public.v: views are not part of the format; it is not written (plans leave it alone)'
 */
export function describeUnmanaged(o: UnmanagedObject): string {
  const where = o.schema !== undefined ? `${o.schema}.${o.name}` : o.name;
  const detail = o.detail !== undefined && o.detail !== '' ? ` (${o.detail})` : '';
  const entry = (UNMANAGED as Readonly<Record<string, { readonly consequence: string }>>)[o.kind];
  return `${o.kind} ${where}${detail}: ${entry?.consequence ?? 'the format cannot express it; it is not written'}`;
}
