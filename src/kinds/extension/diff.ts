/**
 * Extensions: create the missing, drop the undeclared (never `plpgsql`), alter when the file
 * names a version or schema that differs from the live one (unnamed = don't care).
 */
import type { Extension } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { matchObjects } from '../../diff/match.js';

/** Extensions PostgreSQL installs itself; never dropped. */
const builtinExtensions: ReadonlySet<string> = new Set(['plpgsql']);

/** The extension kind's diff (`ObjectKind.diff`). */
export const extensionDiff: ModelKindDiff = { scope: 'model', run: (d) => diffExtensions(d.want.extensions, d.have.extensions) };

/**
 * @example
 * diffExtensions([{ name: 'vector', version: '0.8.0' }], [{ name: 'vector', schema: 'public', version: '0.7.4' }])
 * // [{ kind: 'alter_extension', from: { name: 'vector', ... '0.7.4' }, to: { name: 'vector', version: '0.8.0' } }]
 */
export function diffExtensions(desired: readonly Extension[], live: readonly Extension[]): Change[] {
  const matching = matchObjects(desired, live, { desired: (e) => e.name, live: (e) => e.name });
  const changes: Change[] = [];
  for (const extension of matching.added) changes.push({ kind: 'create_extension', extension });
  for (const { desired: to, live: from } of matching.pairs) {
    const versionDiffers = to.version !== undefined && to.version !== from.version;
    const schemaDiffers = to.schema !== undefined && to.schema !== from.schema;
    if (versionDiffers || schemaDiffers) changes.push({ kind: 'alter_extension', from, to });
  }
  for (const extension of matching.removed) {
    if (!builtinExtensions.has(extension.name)) changes.push({ kind: 'drop_extension', extension });
  }
  return changes;
}
