#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs via
// `prepare`). It runs the bundle of dist/cli/ (dist/cli-bundle/, scripts/bundle-cli.mjs), which
// starts faster, unless the bundle is missing or older than dist/cli/main.js (tsc ran without the
// bundle step) or PGRECONCILE_NO_BUNDLE=1 asks for the modules themselves.
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// WebAssembly (PostgreSQL's parser, libpg-query; the embedded PGlite database) runs on V8's
// baseline code only. With V8's default tiering, the few hundred parser calls of a plan make its
// largest functions (the scanner, the grammar) hot enough to be compiled again by the optimizing
// compiler on background threads: 0.2-0.5 s of CPU in a warm re-plan of 5,000 tables, more than
// the calls themselves take, and no gain in a cold plan's thousands of parses nor in PGlite's
// plan and apply (docs/bench.md, "The parser on V8's baseline code"). Set before any is compiled.
setFlagsFromString('--liftoff-only');

const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = mtime('../dist/cli-bundle/main.js');
const modules = mtime('../dist/cli/main.js');
const useBundle = process.env.PGRECONCILE_NO_BUNDLE !== '1' && bundle !== undefined && (modules === undefined || bundle >= modules);
const { main } = useBundle ? await import('../dist/cli-bundle/main.js') : await import('../dist/cli/main.js');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
