/**
 * A catalog query as a kind declares it (src/kinds/<kind>/introspect.ts): the `.sql` file next
 * to the kind's module, the connection it runs on, and the row type it returns. The driver
 * (./catalog-queries.ts, ./index.ts) reads, runs and parses every kind's queries; a kind reads
 * the rows of a query (its own or another kind's) with `rows.of(query)`, typed by the query.
 */

/** Which connection runs a query when introspection has two (./index.ts splits the server time about in half). */
export type QueryConnection = 'first' | 'second';

export interface CatalogQuery<R> {
  /** The file's base name, unique among all queries (`tables`): messages and the driver's map. */
  readonly name: string;
  /** The `.sql` file: `new URL('./tables.sql', import.meta.url)`, in src/ or dist/ alike. */
  readonly url: URL;
  readonly connection: QueryConnection;
  /** server_version_num from which the query runs; on older servers its rows are empty. */
  readonly since?: number;
  /** Never set: carries the row type for the compiler (`CatalogResults.of` is typed by it). */
  readonly row?: R;
}

/**
 * A catalog query of row type `R`.
 *
 * @example export const triggersQuery = catalogQuery<TriggerRow>('triggers', new URL('./triggers.sql', import.meta.url), 'first');
 */
export function catalogQuery<R>(name: string, url: URL, connection: QueryConnection, since?: number): CatalogQuery<R> {
  return since === undefined ? { name, url, connection } : { name, url, connection, since };
}

/** The parsed rows of every query of one introspection. */
export interface CatalogResults {
  /** The rows of `query` (empty when the server is older than its `since`). */
  of<R>(query: CatalogQuery<R>): readonly R[];
}

/**
 * Results from rows keyed by query name.
 *
 * @example catalogResults(new Map([['tables', []]])).of(tablesQuery)   // []
 */
export function catalogResults(byName: ReadonlyMap<string, readonly unknown[]>): CatalogResults {
  return {
    of<R>(query: CatalogQuery<R>): readonly R[] {
      const rows = byName.get(query.name);
      if (rows === undefined) throw new Error(`introspection query ${query.name} was not run`);
      return rows as readonly R[];
    },
  };
}
