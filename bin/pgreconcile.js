#!/usr/bin/env -S node --min-semi-space-size=64 --max-semi-space-size=64
// The young generation starts at its full 64 MB: a plan's models (tens of MB, all of them live
// until the end) are then allocated without a dozen scavenges copying them around (~50 ms at
// 1,000 tables). Run through `node bin/pgreconcile.js` the default sizes apply; nothing else differs.
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs via `prepare`).
import { main } from '../dist/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
