/**
 * The objects of a live database that the desired-state format cannot declare (views,
 * partitions, procedures, domains, policies, …), found with one catalog query
 * (./queries/unsupported.sql), so that `pull` lists them as warnings rather than dropping them
 * without a word.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/db.js';
import { matchesIgnore } from '../introspect/ignore-glob.js';
import { compareText } from '../model/normalize.js';

export interface UnsupportedObject {
  /** `view`, `partition`, `procedure`, `domain`, `policy`, … */
  readonly kind: string;
  /** Undefined for database-wide objects (event triggers). */
  readonly schema?: string;
  readonly name: string;
  readonly detail?: string;
}

let query: Promise<string> | undefined;

function loadQuery(): Promise<string> {
  const url = new URL('./queries/unsupported.sql', import.meta.url);
  query ??= readFile(url, 'utf8').then(
    (text) => `SELECT coalesce(json_agg(q), '[]')::text AS rows FROM (${text.trim().replace(/;$/, '')}) AS q`,
    (error: unknown) => {
      query = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `the query file ${url.pathname} cannot be read (${reason}); the build must copy src/pull/queries/*.sql next to the compiled module`,
      );
    },
  );
  return query;
}

/**
 * Lists what the format cannot declare, leaving out what `ignore` matches, in a fixed order
 * (by kind, then schema and name).
 *
 * @example
 * await findUnsupportedObjects(db, ['tmp_*'])
 * // [{ kind: 'view', schema: 'public', name: 'active_users' }]
 */
export async function findUnsupportedObjects(db: Db, ignore: readonly string[] = []): Promise<UnsupportedObject[]> {
  const { rows } = await db.query<{ rows: string }>(await loadQuery());
  const parsed = JSON.parse(rows[0]?.rows ?? '[]') as { kind: string; schema: string | null; name: string; detail: string | null }[];
  const kinds = Object.keys(consequence);
  const rank = (kind: string): number => (kinds.includes(kind) ? kinds.indexOf(kind) : kinds.length);
  return parsed
    .filter((r) => r.schema === null || !matchesIgnore(ignore, r.schema, r.name))
    .sort(
      (a, b) =>
        rank(a.kind) - rank(b.kind) ||
        compareText(a.schema ?? '', b.schema ?? '') ||
        compareText(a.name, b.name) ||
        compareText(a.detail ?? '', b.detail ?? ''),
    )
    .map((r) => ({
      kind: r.kind,
      ...(r.schema !== null ? { schema: r.schema } : {}),
      name: r.name,
      ...(r.detail !== null ? { detail: r.detail } : {}),
    }));
}

/** What happens to each kind in the pulled file, for the warning. */
const consequence: Readonly<Record<string, string>> = {
  view: 'views are not part of the format; it is not written (plans leave it alone)',
  'materialized view': 'materialized views are not part of the format; it is not written',
  'foreign table': 'foreign tables are not part of the format; it is not written',
  partition: 'a partition in another schema than its parent is not part of the format; it is not written',
  'partition index': "an index of a partition alone (not its parent's) is not part of the format; it is not written",
  'partition constraint': "a constraint of a partition alone (not its parent's) is not part of the format; it is not written",
  'partition trigger': "a trigger of a partition alone (not its parent's) is not part of the format; it is not written",
  inheritance: 'table inheritance is not part of the format; the table is written without it',
  'unlogged table': 'the table is written as a logged table',
  'table storage parameters': 'table storage parameters are not part of the format; they are not written',
  'table tablespace': 'tablespaces are not part of the format; it is not written',
  'row level security': 'row level security is not part of the format; it is not written',
  policy: 'policies are not part of the format; it is not written',
  rule: 'rules are not part of the format; it is not written',
  constraint: 'constraints of this kind are not part of the format; it is not written',
  'virtual generated column': 'virtual generated columns are not part of the format; it is written as a STORED one',
  'statistics object': 'extended statistics are not part of the format; it is not written',
  domain: 'domains are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  'range type':
    'range types are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  'base type': 'base types are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  'composite type':
    'composite types are not part of the format; it is not written (a column or function that uses it lists it under external_types)',
  procedure: 'procedures are not part of the format; it is not written',
  aggregate: 'aggregates are not part of the format; it is not written',
  'window function': 'window functions are not part of the format; it is not written',
  privileges: 'privileges (GRANT) are not managed; they are not written',
  'event trigger': 'event triggers are not part of the format; it is not written',
};

/**
 * The warnings for objects the format cannot declare: one line each, except privileges, which
 * are summed up in one line (a database may grant on every table).
 *
 * @example
 * describeUnsupportedObjects([{ kind: 'privileges', schema: 'public', name: 'a' }, { kind: 'privileges', schema: 'public', name: 'b' }])
 * // ['privileges granted on 2 tables and sequences (public.a, public.b): privileges (GRANT) are not managed; they are not written']
 */
export function describeUnsupportedObjects(objects: readonly UnsupportedObject[]): string[] {
  const privileges = objects.filter((o) => o.kind === 'privileges');
  const lines = objects.filter((o) => o.kind !== 'privileges').map(describeUnsupported);
  if (privileges.length > 0) {
    const names = privileges.slice(0, 5).map((o) => `${o.schema ?? ''}.${o.name}`);
    const more = privileges.length > 5 ? `, and ${privileges.length - 5} more` : '';
    const what = privileges.length === 1 ? 'table or sequence' : 'tables and sequences';
    lines.push(`privileges granted on ${privileges.length} ${what} (${names.join(', ')}${more}): ${consequence['privileges'] ?? ''}`);
  }
  return lines;
}

/**
 * One warning line for an object the format cannot declare.
 *
 * @example
 * describeUnsupported({ kind: 'view', schema: 'public', name: 'v' })
 * // 'view public.v: views are not part of the format; it is not written (and plans never touch it)'
 */
export function describeUnsupported(o: UnsupportedObject): string {
  const where = o.schema !== undefined ? `${o.schema}.${o.name}` : o.name;
  const detail = o.detail !== undefined && o.detail !== '' ? ` (${o.detail})` : '';
  return `${o.kind} ${where}${detail}: ${consequence[o.kind] ?? 'the format cannot express it; it is not written'}`;
}
