-- The server's version (server_version_num, e.g. 150020), and whether it is PGlite: PGlite
-- served over a socket shares one session between its connections, so a second connection
-- cannot hold a transaction of its own there.
-- The lock table's size settings: the planner cuts its transactions to fit (src/plan/lock-budget.ts).
SELECT current_setting('server_version_num')::int AS server_version,
       version() LIKE '%PGlite%' AS single_session,
       current_setting('max_locks_per_transaction')::int AS max_locks_per_transaction,
       current_setting('max_connections')::int AS max_connections,
       current_setting('max_prepared_transactions')::int AS max_prepared_transactions
