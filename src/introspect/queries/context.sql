-- The server's version (server_version_num, e.g. 150020), and whether it is PGlite: PGlite
-- served over a socket shares one session between its connections, so a second connection
-- cannot hold a transaction of its own there.
SELECT current_setting('server_version_num')::int AS server_version,
       version() LIKE '%PGlite%' AS single_session
