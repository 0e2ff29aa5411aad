#!/usr/bin/env node
/**
 * Writes schema/pgreconcile.schema.json from the kinds' parts (src/kinds/<kind>/format-schema.ts,
 * assembled by src/kinds/format-schema.ts). Run after tsc: `npm run schema`. With `--check`,
 * writes nothing and exits 1 when the file is not what the kinds say.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// dist/ is built by tsc just before; its types are not visible to the linter of this script.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
const assembler = /** @type {{ schemaFileText: () => string }} */ (await import(join(root, 'dist', 'kinds', 'format-schema.js')));
const target = join(root, 'schema', 'pgreconcile.schema.json');
const text = assembler.schemaFileText();
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8');
  if (current !== text) {
    console.error('build-schema: schema/pgreconcile.schema.json is not what src/kinds says: run `npm run schema`');
    process.exit(1);
  }
  console.log('build-schema: schema/pgreconcile.schema.json is current');
} else {
  await writeFile(target, text);
  console.log('build-schema: schema/pgreconcile.schema.json written');
}
