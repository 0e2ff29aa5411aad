#!/usr/bin/env node
/**
 * Compiles schema/pgreconcile.schema.json into a standalone validator module (CommonJS) at
 * dist/desired/schema-validator.cjs, so the CLI does not compile the JSON Schema at every start
 * (about 150 ms). The options must match src/desired/validate-schema.ts, which falls back to
 * compiling at run time when this file is missing (tests running the TypeScript sources).
 *
 * Run after tsc: `node scripts/build-validator.mjs`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** @type {unknown} */
const parsed = JSON.parse(await readFile(join(root, 'schema', 'pgreconcile.schema.json'), 'utf8'));
const schema = /** @type {Record<string, unknown>} */ (parsed);
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code: { source: true } });
const validate = ajv.compile(schema);
const target = join(root, 'dist', 'desired', 'schema-validator.cjs');
await mkdir(dirname(target), { recursive: true });
// The CommonJS module's export seen from ESM: `.default` is the function.
await writeFile(target, standaloneCode.default(ajv, validate));
console.log(`build-validator: ${target.slice(root.length + 1)} written`);

// A build id over the compiled code, for caches keyed by what the code would compute
// (the desired-state cache of src/desired/cache.ts): any change to the code changes it.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
const hash = createHash('sha256');
/** @param {string} dir */
async function addTree(dir) {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await addTree(path);
    else if (/\.(js|cjs|sql)$/.test(entry.name)) hash.update(entry.name).update(await readFile(path));
  }
}
await addTree(join(root, 'dist'));
await writeFile(join(root, 'dist', 'build-id.txt'), `${hash.digest('hex')}\n`);
console.log('build-validator: dist/build-id.txt written');
