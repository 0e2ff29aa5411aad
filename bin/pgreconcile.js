#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs via
// `prepare`). It runs the bundle of dist/cli/ (dist/cli-bundle/, scripts/bundle-cli.mjs), which
// starts faster, unless the bundle is missing or older than dist/cli/main.js (tsc ran without the
// bundle step) or PGRECONCILE_NO_BUNDLE=1 asks for the modules themselves.
import { statSync } from 'node:fs';

const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = mtime('../dist/cli-bundle/main.js');
const modules = mtime('../dist/cli/main.js');
const useBundle = process.env.PGRECONCILE_NO_BUNDLE !== '1' && bundle !== undefined && (modules === undefined || bundle >= modules);
const { main } = useBundle ? await import('../dist/cli-bundle/main.js') : await import('../dist/cli/main.js');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
