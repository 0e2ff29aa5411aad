/** Views and materialized views read from the catalog: ./views.sql → the model's views. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { comment, type KindIntrospect } from '../../introspect/model-draft.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { CheckOption, View, ViewColumn, ViewIndex } from './model.js';

interface UseRow {
  readonly kind: 'view' | 'sequence' | 'column' | 'table' | 'function' | 'type';
  readonly schema: string;
  readonly name: string;
  readonly sub?: string | null;
  readonly signature?: readonly string[] | null;
}

interface IndexRow {
  readonly name: string;
  readonly unique: boolean;
  readonly using: string;
  readonly columns?: readonly (string | null)[] | null;
  readonly definition?: string | null;
}

const viewIndex = (i: IndexRow): ViewIndex => ({
  name: i.name,
  unique: i.unique,
  using: i.using,
  columns: (i.columns ?? []).map((c) => c ?? ''),
  ...(i.definition !== undefined && i.definition !== null ? { definition: i.definition } : {}),
});

export interface ViewRow {
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  readonly query: string;
  readonly populated: boolean;
  readonly rows: number;
  readonly options?: readonly string[] | null;
  readonly columns?: readonly { readonly name: string; readonly type: string; readonly comment?: string | null }[] | null;
  readonly uses?: readonly UseRow[] | null;
  readonly indexes?: readonly IndexRow[] | null;
  readonly comment?: string;
}

export const viewsQuery = catalogQuery<ViewRow>('views', new URL('./views.sql', import.meta.url), 'second');

function useRef(u: UseRow): ObjectRef {
  if (u.kind === 'column') return { kind: 'column', schema: u.schema, name: u.name, sub: u.sub ?? '' };
  if (u.kind === 'function') return { kind: 'function', schema: u.schema, name: u.name, signature: u.signature ?? [] };
  return { kind: u.kind, schema: u.schema, name: u.name };
}

/** `security_barrier=true` … → the options; storage parameters of a materialized view. */
function readOptions(options: readonly string[] | null | undefined): { view: Partial<View>; storage: Record<string, string> } {
  const storage: Record<string, string> = {};
  let securityBarrier = false;
  let securityInvoker = false;
  let checkOption: CheckOption | undefined;
  for (const option of options ?? []) {
    const eq = option.indexOf('=');
    const name = eq < 0 ? option : option.slice(0, eq);
    const value = eq < 0 ? 'true' : option.slice(eq + 1);
    if (name === 'security_barrier') securityBarrier = value === 'true' || value === 'on';
    else if (name === 'security_invoker') securityInvoker = value === 'true' || value === 'on';
    else if (name === 'check_option') checkOption = value === 'cascaded' ? 'cascaded' : 'local';
    else storage[name] = value;
  }
  return {
    view: {
      ...(securityBarrier ? { securityBarrier: true } : {}),
      ...(securityInvoker ? { securityInvoker: true } : {}),
      ...(checkOption !== undefined ? { checkOption } : {}),
    },
    storage,
  };
}

export const viewIntrospect: KindIntrospect = {
  queries: [viewsQuery],
  build: (rows, draft) => {
    for (const v of rows.of(viewsQuery)) {
      if (!draft.managed(v.schema, v.name)) continue;
      const { view: options, storage } = readOptions(v.options);
      const columns: ViewColumn[] = (v.columns ?? []).map((c) => ({ name: c.name, type: c.type, ...comment(c.comment ?? undefined) }));
      const view: View = {
        schema: v.schema,
        name: v.name,
        materialized: v.materialized,
        query: v.query,
        columns,
        ...(v.materialized
          ? { storage, withData: v.populated, indexes: (v.indexes ?? []).map(viewIndex), estimatedRows: Math.max(0, Math.round(v.rows)) }
          : options),
        ...comment(v.comment),
        ...(v.uses !== undefined && v.uses !== null && v.uses.length > 0 ? { uses: v.uses.map(useRef) } : {}),
      };
      draft.model.views.push(view);
    }
  },
};
