/** The database layer: the `Db` interface, its two adapters, target selection and redaction. */
export type { Db, QueryResult } from './db.js';
export { DbError, formatDbError, isDbError, positionToLineColumn } from './errors.js';
export type { DbErrorFields, DbErrorPhase } from './errors.js';
export { connectPostgres } from './pg-db.js';
export { dumpPglite, openPglite, servePglite } from './pglite-db.js';
export type { PgliteDb, ServedPglite } from './pglite-db.js';
export { describeTarget, EMBEDDED_PGLITE_DIR, openDatabase } from './open.js';
export type { TargetSource } from './open.js';
export { redactConnectionStrings, redactSecrets, redactUrl, secretsOf } from './redact.js';
