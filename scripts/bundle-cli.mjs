#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/cli/main.js and everything it imports from dist/) into
 * dist/cli-bundle/, which bin/pgreconcile.js runs. Node loads an ES module graph file by file:
 * a `plan` walks about 140 of our modules, and loading them costs more CPU than a warm re-plan's
 * diff of 1,000 tables (docs/bench.md, "Start-up"). The bundle is split at the CLI's dynamic
 * imports, so each command still loads only its own code and packages; npm packages stay
 * outside it (node_modules is resolved as usual).
 *
 * Modules find their files relative to `import.meta.url` (the catalog queries, package.json, the
 * JSON Schema, the compiled validator, the build id). In a bundle that URL is the chunk's, so
 * every module's `import.meta.url` is rewritten to the URL its own dist/ file has: the files
 * are found where they were.
 *
 * Run after tsc and copy-assets, before build-validator (whose build id covers the bundle):
 * `node scripts/bundle-cli.mjs`.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'cli-bundle');

/** @type {import('esbuild').Plugin} */
const ownModuleUrls = {
  name: 'own-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      // The chunks sit side by side in outdir, so a path relative to it is right in any chunk.
      const own = './' + relative(outdir, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { main: join(dist, 'cli', 'main.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir,
  chunkNames: 'chunk-[hash]',
  plugins: [ownModuleUrls],
  logLevel: 'warning',
  metafile: true,
});
const files = Object.keys(result.metafile.outputs).length;
console.log(`bundle-cli: dist/cli/main.js bundled into ${relative(root, outdir)}/ (${files} files)`);
