/** Steps for collations: create, drop. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayQualified, qualify } from '../../model/ident.js';
import { untrackable } from '../../plan/hazards.js';
import { key } from '../../plan/references.js';
import { literal } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import type { Collation } from './model.js';

/** `CREATE COLLATION`'s options: every string a literal, the provider one of two words. */
export function collationOptionsSql(c: Collation): string {
  const options = [`provider = ${c.provider === 'icu' ? 'icu' : 'libc'}`];
  if (c.lcCollate === c.lcCtype) options.push(`locale = ${literal(c.lcCollate)}`);
  else options.push(`lc_collate = ${literal(c.lcCollate)}`, `lc_ctype = ${literal(c.lcCtype)}`);
  if (!c.deterministic) options.push('deterministic = false');
  return options.join(', ');
}

export function createCollationSteps(change: ChangeOf<'create_collation'>): StepDraft[] {
  const c = change.collation;
  return [
    draft({
      sql: `CREATE COLLATION ${qualify(c)} (${collationOptionsSql(c)})`,
      action: 'create',
      objectKind: 'collation' as const,
      object: displayQualified(c),
      change: change.kind,
      creates: [key.collation(c)],
      requires: [key.schema(c.schema)],
    }),
  ];
}

export function dropCollationSteps(change: ChangeOf<'drop_collation'>): StepDraft[] {
  const c = change.collation;
  return [
    draft({
      sql: `DROP COLLATION ${qualify(c)}`,
      hazards: [untrackable(`collation ${displayQualified(c)} is dropped; the drop fails while columns or indexes use it`)],
      action: 'drop',
      objectKind: 'collation' as const,
      object: displayQualified(c),
      change: change.kind,
      drops: [key.collation(c)],
      liveRequires: [key.schema(c.schema)],
    }),
  ];
}
