/** Views as written (`views:` and `materialized_views:` of a schema) → the model. */
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { commentOf } from '../comment/raw.js';
import type { CheckOption, View, ViewColumn } from './model.js';

export interface RawViewColumn {
  readonly comment?: string;
}

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly views?: Readonly<Record<string, RawView>>;
    readonly materialized_views?: Readonly<Record<string, RawMaterializedView>>;
  }
}

export interface RawView {
  readonly query: string;
  readonly columns?: Readonly<Record<string, RawViewColumn>>;
  readonly security_barrier?: boolean;
  readonly security_invoker?: boolean;
  readonly check_option?: CheckOption;
  readonly comment?: string;
  readonly renamed_from?: string;
}

export interface RawViewIndex {
  readonly columns: readonly string[];
  readonly unique?: boolean;
  readonly using?: string;
}

export interface RawMaterializedView {
  readonly query: string;
  readonly columns?: Readonly<Record<string, RawViewColumn>>;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly with_data?: boolean;
  readonly indexes?: Readonly<Record<string, RawViewIndex>>;
  readonly comment?: string;
  readonly renamed_from?: string;
}

function columnsOf(raw: { readonly columns?: Readonly<Record<string, RawViewColumn>> }): ViewColumn[] {
  return entries(raw.columns).map(([name, c]) => ({ name, ...commentOf(c ?? {}) }));
}

function readViews(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, raw] of entries(body.views)) {
    const view: View = {
      schema,
      name,
      materialized: false,
      query: raw.query,
      columns: columnsOf(raw),
      ...(raw.security_barrier === true ? { securityBarrier: true } : {}),
      ...(raw.security_invoker === true ? { securityInvoker: true } : {}),
      ...(raw.check_option !== undefined ? { checkOption: raw.check_option } : {}),
      ...commentOf(raw),
      ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    };
    ctx.model.views.push(view);
  }
  for (const [name, raw] of entries(body.materialized_views)) {
    const path = ['schemas', schema, 'materialized_views', name];
    const storage: Record<string, string> = {};
    for (const [param, value] of entries(raw.with)) storage[param.toLowerCase()] = ctx.sqlText(value, [...path, 'with', param]);
    ctx.model.views.push({
      schema,
      name,
      materialized: true,
      query: raw.query,
      columns: columnsOf(raw),
      storage,
      withData: raw.with_data ?? true,
      indexes: entries(raw.indexes).map(([index, i]) => ({
        name: index,
        unique: i.unique ?? false,
        using: (i.using ?? 'btree').toLowerCase(),
        columns: [...i.columns],
      })),
      ...commentOf(raw),
      ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    });
  }
}

export const viewRaw = { in: 'schema', read: readViews } as const satisfies KindRaw;
