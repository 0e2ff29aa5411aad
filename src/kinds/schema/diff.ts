/**
 * Schemas: create the declared ones that are missing, drop the undeclared ones. A schema the
 * file only implies (it declares objects in it, or an extension lives there) counts as
 * declared. `public` is never created or dropped; unmanaged schemas are filtered out before.
 */
import type { SchemaDef } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { matchObjects } from '../../diff/match.js';

/** The schema every database has; its comment is managed when the file gives one. */
const PUBLIC = 'public';

/** The schema kind's diff (`ObjectKind.diff`). */
export const schemaDiff: ModelKindDiff = {
  scope: 'model',
  run: (d) => diffSchemaDefs(d.want.schemas, d.impliedSchemas, d.have.schemas, d.keptSchema),
};

/**
 * @param declared schemas the file declares explicitly (with their comments)
 * @param implied schemas the file uses without declaring them
 * @param live the live schemas
 * @param keep true for a live schema that must stay even though undeclared
 *   (it holds unmanaged objects)
 * @example
 * diffSchemaDefs([{ name: 'app' }], new Set(['audit']), [{ name: 'public' }, { name: 'old' }], () => false)
 * // create_schema app, create_schema audit, drop_schema old
 */
export function diffSchemaDefs(
  declared: readonly SchemaDef[],
  implied: ReadonlySet<string>,
  live: readonly SchemaDef[],
  keep: (schema: string) => boolean,
): Change[] {
  const explicit = new Set(declared.map((s) => s.name));
  const all: SchemaDef[] = [...declared];
  for (const name of implied) if (!explicit.has(name)) all.push({ name });
  const matching = matchObjects(all, live, { desired: (s) => s.name, live: (s) => s.name });
  const changes: Change[] = [];
  for (const schema of matching.added) {
    if (schema.name === PUBLIC) continue;
    changes.push({ kind: 'create_schema', schema });
    changes.push(...diffComment({ on: 'schema', schema: schema.name }, schema.comment, undefined));
  }
  for (const { desired, live: current } of matching.pairs) {
    // An implied schema says nothing about its comment.
    if (!explicit.has(desired.name)) continue;
    // `public` comes with PostgreSQL's own comment: it is managed only when the file writes one.
    if (desired.name === PUBLIC && desired.comment === undefined) continue;
    changes.push(...diffComment({ on: 'schema', schema: desired.name }, desired.comment, current.comment));
  }
  for (const schema of matching.removed) {
    if (schema.name === PUBLIC || keep(schema.name)) continue;
    changes.push({ kind: 'drop_schema', schema });
  }
  return changes;
}
