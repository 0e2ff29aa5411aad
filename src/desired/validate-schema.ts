/**
 * Checks the loaded document against `schema/pgreconcile.schema.json` (ajv 8) and turns
 * ajv's errors into one message per problem, placed on the offending node.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic, DocPath } from './diagnostic.js';
import { didYouMean, formatPath } from './diagnostic.js';
import type { LoadedYaml } from './load-yaml.js';

/** Where the JSON Schema ships: `schema/` at the package root (from `src/desired/` and `dist/desired/` alike). */
const schemaUrl = new URL('../../schema/pgreconcile.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

/** The validator precompiled at build time (scripts/build-validator.mjs), when there is one. */
function precompiled(): ValidateFunction | undefined {
  try {
    const required = createRequire(import.meta.url)('./schema-validator.cjs') as { default?: ValidateFunction } | ValidateFunction;
    return typeof required === 'function' ? required : required.default;
  } catch {
    return undefined;
  }
}

/** The compiled validator (precompiled, or compiled once per process). */
function validator(): ValidateFunction {
  compiled ??= precompiled();
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as Record<string, unknown>;
    // Only without the precompiled validator (tests running the TypeScript sources): ajv itself is heavy to load.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** One schema problem before it is positioned. */
interface Issue {
  readonly path: DocPath;
  /** Place the message on the mapping key (`key`) or on the value. */
  readonly on: 'key' | 'value';
  readonly message: string;
}

/**
 * Validates the document's shape; returns diagnostics (empty when it conforms).
 *
 * @example
 * validateShape(loaded)  // [{ line: 7, column: 9, path: '…email.nulable', message: 'unknown key "nulable" (did you mean "nullable"?)' }]
 */
export function validateShape(doc: LoadedYaml): Diagnostic[] {
  const validate = validator();
  if (validate(doc.value)) return [];
  const errors = reduceCombinators(validate.errors ?? []);
  const out: Diagnostic[] = [];
  for (const error of errors) {
    const issue = toIssue(error, doc.value);
    const pos = doc.map.position(issue.path, issue.on);
    out.push({ file: doc.fileName, line: pos.line, column: pos.column, path: formatPath(issue.path), message: issue.message });
  }
  return out;
}

/**
 * For each failed `anyOf`, keeps only the errors of the branch that matches the value's type
 * (the fewest errors if several do), or one "expected X or Y" error when none does.
 * Innermost combinators first.
 */
function reduceCombinators(all: readonly ErrorObject[]): ErrorObject[] {
  let errors = [...all];
  const combinators = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const combinator of combinators) {
    if (!errors.includes(combinator)) continue;
    const prefix = `${combinator.schemaPath}/`;
    const byBranch = new Map<number, ErrorObject[]>();
    for (const e of errors) {
      // Schema paths restart inside each $ref'd definition: the instance path tells invocations apart.
      if (!e.schemaPath.startsWith(prefix)) continue;
      if (e.instancePath !== combinator.instancePath && !e.instancePath.startsWith(`${combinator.instancePath}/`)) continue;
      const index = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      const list = byBranch.get(index) ?? [];
      list.push(e);
      byBranch.set(index, list);
    }
    const mismatched = (index: number, list: readonly ErrorObject[]): boolean =>
      list.some((e) => e.keyword === 'type' && e.instancePath === combinator.instancePath && e.schemaPath === `${prefix}${index}/type`);
    const candidates = [...byBranch.entries()].filter(([index, list]) => !mismatched(index, list));
    const branchErrors = new Set([...byBranch.values()].flat());
    let replacement: ErrorObject[];
    if (candidates.length > 0) {
      candidates.sort((a, b) => a[1].length - b[1].length || a[0] - b[0]);
      replacement = candidates[0]?.[1] ?? [];
    } else {
      const types = [...byBranch.values()]
        .flat()
        .filter((e) => e.keyword === 'type' && e.instancePath === combinator.instancePath)
        .flatMap((e) => (Array.isArray(e.schema) ? (e.schema as string[]) : [String(e.schema)]));
      replacement = [{ ...combinator, keyword: 'type', schema: [...new Set(types)], params: { type: types } }];
    }
    const position = errors.indexOf(combinator);
    errors = errors.filter((e) => e !== combinator && !branchErrors.has(e));
    errors.splice(Math.min(position, errors.length), 0, ...replacement);
  }
  return errors;
}

/** JSON pointer (`/schemas/public/tables/0`) → document path, with list indexes as numbers. */
function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

const typeWords: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
  object: 'a mapping',
  array: 'a list',
  null: 'nothing',
};

/** `"yes"`, `42`, `true`, `a list`, `a mapping`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function joinAlternatives(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The pattern of whole numbers written as strings (too large for a JavaScript number). */
const integerPattern = '^[+-]?[0-9]+$';

function toIssue(error: ErrorObject, data: unknown): Issue {
  const path = pointerToPath(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const parent = error.parentSchema as { properties?: Record<string, unknown>; title?: string } | undefined;
      const properties = parent?.properties ?? {};
      // A map of names (a table's `with:`) says what its keys are: `unknown table storage parameter "x"`.
      return {
        path: [...path, key],
        on: 'key',
        message: `unknown ${parent?.title ?? 'key'} "${key}"${didYouMean(key, Object.keys(properties))}`,
      };
    }
    case 'required':
      return { path, on: 'key', message: `missing required key "${String(params['missingProperty'])}"` };
    case 'type': {
      if ((error.parentSchema as { pattern?: string } | undefined)?.pattern === integerPattern) {
        return { path, on: 'value', message: `expected an integer, got ${describeValue(error.data)}` };
      }
      const expected = Array.isArray(error.schema) ? (error.schema as string[]) : [String(error.schema)];
      // "integer or number" reads oddly; integer is the stricter word when both appear.
      const words = [...new Set(expected.filter((t) => !(t === 'number' && expected.includes('integer'))).map((t) => typeWords[t] ?? t))];
      return { path, on: 'value', message: `expected ${joinAlternatives(words)}, got ${describeValue(error.data)}` };
    }
    case 'enum': {
      const allowed = (error.schema as unknown[]).map((v) => String(v));
      return { path, on: 'value', message: `must be one of ${allowed.join(', ')} (got ${describeValue(error.data)})` };
    }
    case 'const':
      if (path.length === 1 && path[0] === 'version') {
        return { path, on: 'value', message: `unsupported format version ${describeValue(error.data)} (this pgreconcile reads version 1)` };
      }
      return { path, on: 'value', message: `must be ${JSON.stringify(error.schema)} (got ${describeValue(error.data)})` };
    case 'minItems':
      return {
        path,
        on: 'value',
        message: Number(params['limit']) === 1 ? 'must not be an empty list' : `must have at least ${String(params['limit'])} items`,
      };
    case 'minimum':
    case 'maximum':
      return {
        path,
        on: 'value',
        message: `must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])} (got ${describeValue(error.data)})`,
      };
    case 'minLength':
      return { path, on: 'value', message: 'must not be empty' };
    case 'uniqueItems': {
      const i = Number(params['i']);
      const j = Number(params['j']);
      const list = Array.isArray(error.data) ? (error.data as unknown[]) : [];
      const later = Math.max(i, j);
      return { path: [...path, later], on: 'value', message: `${describeValue(list[later])} is listed twice` };
    }
    case 'pattern':
      if (String(params['pattern']) === integerPattern) {
        return { path, on: 'value', message: `expected an integer, got ${describeValue(error.data)}` };
      }
      return { path, on: 'value', message: `${describeValue(error.data)} does not match ${String(params['pattern'])}` };
    default:
      return { path, on: 'value', message: error.message ?? `invalid value (${error.keyword})` };
  }
}
