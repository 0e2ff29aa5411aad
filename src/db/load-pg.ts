/**
 * node-postgres, loaded without the cost of Node's fetch implementation. When `pg` loads, it
 * asks whether it runs in a Cloudflare Worker: through `navigator.userAgent`, or, where there is
 * no `navigator` (Node.js before 21), by constructing a `Response` — which makes Node load its
 * whole fetch implementation (undici), about 10 ms of every command's start-up. A `navigator`
 * that names Node.js is shown to it while it loads, and removed again right after.
 */
const shim = !('navigator' in globalThis);
if (shim) {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node}` },
    configurable: true,
    writable: true,
  });
}
const pg = (await import('pg')).default;
if (shim) delete (globalThis as { navigator?: unknown }).navigator;

export default pg;
