/** Aggregates read from the catalog: ./aggregates.sql → the model's aggregates. */
import { parallelSafety } from '../../introspect/catalog-codes.js';
import { catalogQuery } from '../../introspect/catalog-query.js';
import { label, type KindIntrospect } from '../../introspect/model-draft.js';
import type { QualifiedName } from '../../model/types.js';

export interface AggregateRow {
  readonly schema: string;
  readonly name: string;
  readonly arguments: readonly string[];
  readonly sfunc_schema: string;
  readonly sfunc_name: string;
  readonly stype: string;
  readonly finalfunc_schema?: string;
  readonly finalfunc_name?: string;
  readonly finalfunc_extra: boolean;
  readonly combinefunc_schema?: string;
  readonly combinefunc_name?: string;
  readonly initcond?: string;
  readonly parallel: string;
}

export const aggregatesQuery = catalogQuery<AggregateRow>('aggregates', new URL('./aggregates.sql', import.meta.url), 'second');

const fn = (schema: string | undefined, name: string | undefined): QualifiedName | undefined =>
  schema !== undefined && name !== undefined ? { schema, name } : undefined;

export const aggregateIntrospect: KindIntrospect = {
  queries: [aggregatesQuery],
  build: (rows, draft) => {
    for (const a of rows.of(aggregatesQuery)) {
      if (!draft.managed(a.schema, a.name)) continue;
      const finalfunc = fn(a.finalfunc_schema, a.finalfunc_name);
      const combinefunc = fn(a.combinefunc_schema, a.combinefunc_name);
      draft.model.aggregates.push({
        schema: a.schema,
        name: a.name,
        arguments: a.arguments,
        sfunc: { schema: a.sfunc_schema, name: a.sfunc_name },
        stype: a.stype,
        ...(finalfunc !== undefined ? { finalfunc } : {}),
        ...(a.finalfunc_extra ? { finalfuncExtra: true as const } : {}),
        ...(combinefunc !== undefined ? { combinefunc } : {}),
        ...(a.initcond !== undefined ? { initcond: a.initcond } : {}),
        parallel: parallelSafety(a.parallel, () => `aggregate ${label(a.schema, a.name)}`),
      });
    }
  },
};
