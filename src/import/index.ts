/** `import`: a SQL schema script into the desired-state file, through an embedded PGlite database. */
export { blankMetaCommands, importSql, importSqlFile, ImportError, lineColumnAt, runScript, splitStatements } from './import-sql.js';
export type { ImportOptions, ScriptStatement } from './import-sql.js';
