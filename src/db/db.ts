/**
 * The one database interface the rest of pgreconcile sees. Adapters: node-postgres
 * (./pg-db.ts) and embedded PGlite (./pglite-db.ts). No driver type leaks past this file.
 */
export interface QueryResult<T> {
  readonly rows: T[];
  readonly rowCount: number;
}

export interface Db {
  /** `postgres` for a server reached through node-postgres, `pglite` for the embedded database. */
  readonly kind: 'postgres' | 'pglite';
  /** Where this database is, safe to print: the URL with its password redacted, or the PGlite folder. */
  readonly description: string;
  /** One statement with `$1`-style parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** One or more statements without parameters (simple-query protocol). */
  exec(sql: string): Promise<void>;
  /** Release the connection (and, for PGlite, the instance if this Db owns it). */
  close(): Promise<void>;
  /**
   * Why this connection can no longer be used (the server ended it, the network failed, it was
   * closed), or undefined while it is usable as far as the client knows. Answers at once, without
   * asking the server. Absent where a connection cannot be lost (PGlite in process).
   */
  readonly broken?: () => string | undefined;
  /**
   * `COPY (<select>) TO STDOUT` in COPY's text format: the rows of a query as a stream of
   * bytes (node-postgres streams them; PGlite hands them over whole, through `/dev/blob`).
   * Runs inside the current transaction, if one is open. Absent on wrappers that cannot copy.
   */
  copyOut?(select: string): AsyncIterable<Uint8Array>;
  /**
   * `COPY <target> FROM STDIN` in COPY's text format; `target` is a quoted table name,
   * optionally with a column list. Returns the number of rows loaded.
   */
  copyIn?(target: string, data: AsyncIterable<Uint8Array>): Promise<number>;
  /**
   * A second connection to the same database, for work in parallel (introspection runs its
   * catalog queries on two connections sharing one snapshot). Absent where there is only one
   * session (PGlite).
   */
  fork?(): Promise<Db>;
  /**
   * A second connection this Db keeps for work in parallel: opened on first use, the same one on
   * every later call while it is usable, closed by `close()`. Introspection uses it in place of
   * `fork()` so that a process that introspects many times (tests, a drift schedule) does not
   * start a server session, with its cold catalog caches, for every introspection. Whoever uses
   * it leaves it as it found it: no transaction open, no setting changed.
   */
  sibling?(): Promise<Db>;
}
