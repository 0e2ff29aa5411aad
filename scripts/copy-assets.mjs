#!/usr/bin/env node
/**
 * Copies the files the compiled code reads at run time (tsc copies only .ts output) from
 * src/ to dist/, keeping their relative paths: every `.sql` file, e.g.
 * src/kinds/table/tables.sql → dist/kinds/table/tables.sql (the kinds' catalog queries),
 * src/introspect/queries/context.sql → dist/introspect/queries/context.sql.
 *
 * Run after `tsc -p tsconfig.build.json`: `node scripts/copy-assets.mjs`.
 */
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src');
const to = join(root, 'dist');
const ASSET = /\.sql$/;

/**
 * Every asset file under `dir`, recursively.
 * @param {string} dir
 * @returns {AsyncGenerator<string>}
 */
async function* assets(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* assets(path);
    else if (entry.isFile() && ASSET.test(entry.name)) yield path;
  }
}

let copied = 0;
for await (const source of assets(from)) {
  const target = join(to, relative(from, source));
  await mkdir(dirname(target), { recursive: true });
  await copyFile(source, target);
  copied++;
}
console.log(`copy-assets: ${copied} file(s) copied from src/ to dist/`);
