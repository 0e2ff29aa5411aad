/** Domains in the model: the type, their order, their fingerprint form. */
import { byName, compareQualified, expressionForm } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

/** A named check of a domain (`CONSTRAINT name CHECK (expression)`, the expression over VALUE). */
export interface DomainCheck {
  readonly name: string;
  /** Live side: `pg_get_expr(conbin, 0)`; desired side: as written. */
  readonly expression: string;
  /**
   * Live side: NOT VALID. Desired side: the file says `validated: false` (added NOT VALID and left
   * so; a valid live check satisfies it too).
   */
  readonly notValid: boolean;
}

export interface Domain extends QualifiedName {
  /** The base type with its modifiers, as format_type prints it (`numeric(12,2)`, `app.mood`). */
  readonly type: string;
  /** The default expression (live: `pg_get_expr(typdefaultbin, 0)`). */
  readonly default?: string;
  readonly notNull: boolean;
  /** A collation other than the base type's (one name; `public`'s or a catalog one, `schema.name` otherwise). */
  readonly collation?: string;
  /** Its checks, by name. */
  readonly checks: readonly DomainCheck[];
  readonly comment?: string;
  /** Desired side only: the domain's previous name (ALTER DOMAIN ... RENAME TO). */
  readonly renamedFrom?: string;
}

export const domainModel: ModelList<'domains', Domain> = {
  property: 'domains',
  inSchemas: true,
  emptyInFingerprint: 'left out',
  normalize: (domains) => [...domains].sort(compareQualified).map((d) => ({ ...d, checks: byName(d.checks) })),
  // The rename a file declares does not describe the schema; expressions in their canonical form.
  form: ({ renamedFrom: _renamed, ...rest }) => ({
    ...rest,
    default: expressionForm(rest.default),
    checks: rest.checks.map((c) => ({ ...c, expression: expressionForm(c.expression) })),
  }),
  label: (d) => refLabel({ kind: 'type', schema: d.schema, name: d.name }).replace(/^type /, 'domain '),
};
