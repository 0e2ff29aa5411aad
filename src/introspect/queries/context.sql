-- The server's version (server_version_num, e.g. 150020).
SELECT current_setting('server_version_num')::int AS server_version
