/**
 * `npm run test:unit` runs with no PostgreSQL server (vitest.unit.config.ts loads this file
 * first): a test there that opens a TCP connection to a PostgreSQL port fails at once with a
 * message saying so, instead of passing on a machine that happens to have a server. Test
 * databases come from PGlite there (`PGRECONCILE_TEST_PGLITE=1`, read by ./harness.ts).
 */
import net from 'node:net';

/** Ports a unit test may not reach: PostgreSQL's default (PGPORT's when set). */
export const BLOCKED_PORTS: ReadonlySet<number> = new Set([5432, Number(process.env['PGPORT'] ?? 5432)]);

const INSTALLED = Symbol.for('pgreconcile.noServerGuard');

type Connect = typeof net.Socket.prototype.connect;

/** The port of a `socket.connect(…)` call: `(port, host?)`, `({ port, host })`, or a path (none). */
function portOf(args: readonly unknown[]): { port: number; host: string } | undefined {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { port: Number(first), host: typeof second === 'string' ? second : 'localhost' };
  }
  if (Array.isArray(first)) return portOf(first as unknown[]);
  if (typeof first === 'object' && first !== null && 'port' in first) {
    const options = first as { port: unknown; host?: unknown };
    return { port: Number(options.port), host: typeof options.host === 'string' ? options.host : 'localhost' };
  }
  return undefined;
}

/**
 * Makes every connection to a blocked port fail with a clear error (idempotent); returns the
 * function that takes the guard away again.
 *
 * @example const remove = installNoServerGuard(); try { … } finally { remove(); }
 */
export function installNoServerGuard(): () => void {
  const proto = net.Socket.prototype as typeof net.Socket.prototype & { [INSTALLED]?: Connect };
  if (proto[INSTALLED] !== undefined) return () => undefined;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the socket as `this` (apply below)
  const original = proto.connect;
  proto[INSTALLED] = original;
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const target = portOf(args);
    if (target !== undefined && BLOCKED_PORTS.has(target.port)) {
      const error = new Error(
        `npm run test:unit runs with no PostgreSQL server, but this test connects to ${target.host}:${target.port}: ` +
          'use createTestDatabase() (PGlite there) or move the test out of test/unit/.',
      );
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  return () => {
    proto.connect = original;
    delete proto[INSTALLED];
  };
}

installNoServerGuard();
