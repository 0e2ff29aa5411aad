/** Aggregates in the model: the type, their order, their fingerprint form. */
import { compareQualified, compareText } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ParallelSafety } from '../function/model.js';
import type { ModelList } from '../kind.js';

/** An ordinary aggregate (CREATE AGGREGATE, aggkind 'n'): its support functions by schema and name. */
export interface Aggregate extends QualifiedName {
  /** The input types (canonical, without type modifiers): with the name, its identity. */
  readonly arguments: readonly string[];
  readonly sfunc: QualifiedName;
  /** The state type (canonical). */
  readonly stype: string;
  readonly finalfunc?: QualifiedName;
  /** FINALFUNC_EXTRA. */
  readonly finalfuncExtra?: true;
  readonly combinefunc?: QualifiedName;
  /** INITCOND, as text. */
  readonly initcond?: string;
  readonly parallel: ParallelSafety;
}

/** `name(type, …)`: the identity PostgreSQL gives an aggregate. */
export function aggregateSignature(a: Aggregate): string {
  return `${a.name}(${a.arguments.join(', ')})`;
}

export const aggregateModel: ModelList<'aggregates', Aggregate> = {
  property: 'aggregates',
  inSchemas: true,
  emptyInFingerprint: 'left out',
  normalize: (aggregates) =>
    [...aggregates].sort((a, b) => compareQualified(a, b) || compareText(a.arguments.join(','), b.arguments.join(','))),
  form: (a) => a,
  label: (a) => refLabel({ kind: 'aggregate', schema: a.schema, name: a.name, signature: [...a.arguments] }),
};
