/**
 * The corpus of acceptance cases under `test/cases/<kind>/<case>/`: discovery, loading and
 * validation of `expect.yaml`, and its rewriting when `PGRECONCILE_UPDATE_CASES=1`.
 *
 * A case folder holds:
 * - `before.sql`   SQL run into a fresh, empty database before planning (may be empty or absent);
 * - `schema.yaml`  the desired state (format version 1);
 * - `expect.yaml`  what the first plan must look like:
 *     hazards: [...]        the exact set of hazard kinds (sorted; [] for none) — required
 *     sql: |                the exact `plan --sql` text (optional; every case pins it since issue 14)
 *     vector: true          the case needs pgvector (runs on PGlite)
 *     error: "substring"    planning must fail with a message containing this (case-insensitive)
 *     empty: true           the first plan must be empty
 *     description: ...      what the case is about
 *
 * Discovery is synchronous (it runs while vitest collects tests). A malformed case is not
 * thrown at collection time: it comes back as a `BrokenCase` so that the runner reports it as
 * one failing test named after the case, with the file and position of the problem.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';

/** `test/cases`, resolved from this file. */
export const CASES_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'cases');

/** What `expect.yaml` says about a case. */
export interface CaseExpectation {
  /** Hazard kinds of the first plan, sorted and without duplicates. */
  readonly hazards: readonly string[];
  /** Exact `plan --sql` text of the first plan, when the case pins it. */
  readonly sql?: string;
  /** The case needs pgvector (PGlite). */
  readonly vector: boolean;
  /** Planning must fail with a message containing this text (compared case-insensitively). */
  readonly error?: string;
  /** The first plan must be empty (the database already matches). */
  readonly empty: boolean;
  readonly description?: string;
}

/** A case ready to run. */
export interface CorpusCase {
  readonly status: 'ok';
  /** `<kind>/<case>`, the test's name. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly dir: string;
  /** Contents of `before.sql` ('' when the file is empty or absent). */
  readonly beforeSql: string;
  /** `external.sql`: objects managed elsewhere (tables under `external`), run into every database of the case first. */
  readonly externalSql: string;
  readonly schemaPath: string;
  readonly expectPath: string;
  readonly expect: CaseExpectation;
}

/** A case folder that could not be loaded; `error` says what is wrong and where. */
export interface BrokenCase {
  readonly status: 'broken';
  readonly id: string;
  readonly dir: string;
  readonly error: string;
}

export type LoadedCase = CorpusCase | BrokenCase;

/** A problem in a case file, with its position (`file:line:column: message`). */
export class CaseFormatError extends Error {
  override readonly name = 'CaseFormatError';
}

const EXPECT_KEYS = ['hazards', 'sql', 'vector', 'error', 'empty', 'description'] as const;
type ExpectKey = (typeof EXPECT_KEYS)[number];

function isExpectKey(key: string): key is ExpectKey {
  return (EXPECT_KEYS as readonly string[]).includes(key);
}

function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}

function sortedSubdirectories(path: string): string[] {
  return readdirSync(path)
    .filter((entry) => !entry.startsWith('.') && isDirectory(join(path, entry)))
    .sort();
}

/**
 * Finds every case folder under `root` (`<root>/<kind>/<case>/`), sorted by id.
 *
 * @example
 * discoverCases().map((c) => c.id)   // ['columns/add-nullable', …, 'tables/rename']
 */
export function discoverCases(root: string = CASES_ROOT): LoadedCase[] {
  if (!existsSync(root)) return [];
  const cases: LoadedCase[] = [];
  for (const kind of sortedSubdirectories(root)) {
    for (const name of sortedSubdirectories(join(root, kind))) {
      cases.push(loadCase(join(root, kind, name), kind, name));
    }
  }
  return cases;
}

/**
 * Loads one case folder; never throws for a malformed case (see `BrokenCase`).
 *
 * @example
 * loadCase('test/cases/tables/drop', 'tables', 'drop')
 */
export function loadCase(dir: string, kind: string, name: string): LoadedCase {
  const id = `${kind}/${name}`;
  try {
    const schemaPath = join(dir, 'schema.yaml');
    const expectPath = join(dir, 'expect.yaml');
    const beforePath = join(dir, 'before.sql');
    if (!existsSync(schemaPath)) throw new CaseFormatError(`${displayPath(dir)}: the case has no schema.yaml`);
    if (!existsSync(expectPath)) throw new CaseFormatError(`${displayPath(dir)}: the case has no expect.yaml`);
    const beforeSql = existsSync(beforePath) ? readFileSync(beforePath, 'utf8') : '';
    const externalPath = join(dir, 'external.sql');
    const externalSql = existsSync(externalPath) ? readFileSync(externalPath, 'utf8') : '';
    const expect = parseExpectation(readFileSync(expectPath, 'utf8'), expectPath);
    return { status: 'ok', id, kind, name, dir, beforeSql, externalSql, schemaPath, expectPath, expect };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'broken', id, dir, error: message };
  }
}

/**
 * Keeps the cases whose id contains `filter` (all when `filter` is empty or undefined).
 *
 * @example
 * selectCases(discoverCases(), process.env.PGRECONCILE_CASES)
 */
export function selectCases<T extends { readonly id: string }>(cases: readonly T[], filter: string | undefined): T[] {
  const wanted = filter?.trim() ?? '';
  return wanted === '' ? [...cases] : cases.filter((c) => c.id.includes(wanted));
}

/** A path relative to the working directory when it is inside it, for messages. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function positionOf(lines: LineCounter, file: string, node: YamlNode | null | undefined): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return displayPath(file);
  const { line, col } = lines.linePos(offset);
  return `${displayPath(file)}:${line}:${col}`;
}

/**
 * Parses and checks the text of an `expect.yaml`. Throws `CaseFormatError` naming
 * `file:line:column` for YAML errors, unknown keys and values of the wrong shape.
 *
 * @example
 * parseExpectation('hazards: [deletes_data]\n', 'expect.yaml')
 * // { hazards: ['deletes_data'], vector: false, empty: false }
 */
export function parseExpectation(text: string, file: string): CaseExpectation {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const [line, col] = firstError.linePos?.[0] ? [firstError.linePos[0].line, firstError.linePos[0].col] : [1, 1];
    throw new CaseFormatError(`${displayPath(file)}:${line}:${col}: ${firstError.message.split('\n')[0] ?? ''}`);
  }
  const root = doc.contents;
  if (!isMap(root)) {
    throw new CaseFormatError(`${positionOf(lines, file, root)}: expect.yaml must be a mapping with at least \`hazards\``);
  }
  const fail = (node: YamlNode | null | undefined, message: string): never => {
    throw new CaseFormatError(`${positionOf(lines, file, node)}: ${message}`);
  };

  let hazards: string[] | undefined;
  let sql: string | undefined;
  let vector = false;
  let error: string | undefined;
  let empty = false;
  let description: string | undefined;

  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const valueNode = pair.value as YamlNode | null;
    const value: unknown = isScalar(valueNode) ? valueNode.value : (valueNode?.toJSON() as unknown);
    if (!isExpectKey(key)) {
      return fail(keyNode, `unknown key \`${key}\` (expected one of ${EXPECT_KEYS.join(', ')})`);
    }
    switch (key) {
      case 'hazards': {
        if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
          fail(valueNode, '`hazards` must be a list of hazard kinds, e.g. [deletes_data] or []');
          break;
        }
        const sorted = [...new Set(value)].sort();
        if (sorted.length !== value.length || sorted.some((v, i) => v !== value[i])) {
          fail(valueNode, `\`hazards\` must be sorted and without duplicates: [${sorted.join(', ')}]`);
        }
        hazards = sorted;
        break;
      }
      case 'sql':
        if (typeof value !== 'string') fail(valueNode, '`sql` must be a string (a `|` block)');
        sql = value as string;
        break;
      case 'vector':
        if (typeof value !== 'boolean') fail(valueNode, '`vector` must be true or false');
        vector = value as boolean;
        break;
      case 'error':
        if (typeof value !== 'string' || value === '') fail(valueNode, '`error` must be a non-empty string');
        error = value as string;
        break;
      case 'empty':
        if (typeof value !== 'boolean') fail(valueNode, '`empty` must be true or false');
        empty = value as boolean;
        break;
      case 'description':
        if (typeof value !== 'string') fail(valueNode, '`description` must be a string');
        description = value as string;
        break;
      default: {
        const unreachable: never = key;
        fail(keyNode, `unhandled key ${String(unreachable)}`);
      }
    }
  }
  if (hazards === undefined && error === undefined) {
    fail(root, '`hazards` is required (write `hazards: []` for a plan without hazards)');
  }
  if (empty && (hazards?.length ?? 0) > 0) fail(root, '`empty: true` contradicts a non-empty `hazards` list');
  if (error !== undefined && (empty || sql !== undefined)) {
    fail(root, '`error` cases cannot also expect `empty` or `sql`: planning fails before any SQL exists');
  }
  return {
    hazards: hazards ?? [],
    vector,
    empty,
    ...(sql !== undefined ? { sql } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** The steps of a plan, as far as the corpus looks at them. */
export interface PlanLike {
  readonly steps: readonly { readonly hazards: readonly { readonly kind: string }[] }[];
}

/**
 * The sorted set of hazard kinds over all steps of a plan.
 *
 * @example
 * hazardKindsOf({ steps: [{ hazards: [{ kind: 'table_rewrite' }, { kind: 'access_exclusive_lock' }] }] })
 * // ['access_exclusive_lock', 'table_rewrite']
 */
export function hazardKindsOf(plan: PlanLike): string[] {
  return [...new Set(plan.steps.flatMap((step) => step.hazards.map((h) => h.kind)))].sort();
}

/** A flow list as the corpus writes it: `[a, b]`. */
function flowList(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

/** A literal block scalar (`|`, indented two spaces) holding `text`. */
function literalBlock(text: string): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  const indicator = /^\s/.test(lines[0] ?? '') ? '|2' : '|';
  return `${indicator}\n${lines.map((line) => (line === '' ? '' : `  ${line}`)).join('\n')}\n`;
}

interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The text range of the value of `key` in a top-level mapping: through the end of the value
 * itself (`withTrailing: false`, keeps a comment after a flow list) or of its node.
 */
function valueRange(doc: Document, key: string, withTrailing: boolean): { start: number; end: number } | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  for (const pair of root.items) {
    if (isScalar(pair.key) && pair.key.value === key) {
      const range = (pair.value as YamlNode | null)?.range;
      return range === undefined || range === null ? undefined : { start: range[0], end: withTrailing ? range[2] : range[1] };
    }
  }
  return undefined;
}

/**
 * Rewrites a case's `expect.yaml` with the hazards (and, when the file pins it, the SQL) the
 * plan actually produced, keeping its other keys and comments. Returns true if the file changed.
 * Used with `PGRECONCILE_UPDATE_CASES=1`; the result is for review, not a silent pass.
 * `pinSql` (`PGRECONCILE_UPDATE_CASES=pin`) also adds `sql` to the cases that do not pin it.
 *
 * @example
 * rewriteExpectation(c, { hazards: ['deletes_data'], sql: renderSql(plan) })
 */
export function rewriteExpectation(
  c: CorpusCase,
  actual: { readonly hazards: readonly string[]; readonly sql?: string },
  opts: { readonly pinSql?: boolean } = {},
): boolean {
  const before = readFileSync(c.expectPath, 'utf8');
  const doc = parseDocument(before);
  const edits: TextEdit[] = [];
  const hazardsText = flowList([...new Set(actual.hazards)].sort());
  const hazards = valueRange(doc, 'hazards', false);
  if (hazards === undefined) {
    edits.push({ start: before.length, end: before.length, text: `${before.endsWith('\n') ? '' : '\n'}hazards: ${hazardsText}\n` });
  } else {
    const old = before.slice(hazards.start, hazards.end);
    edits.push({ start: hazards.start, end: hazards.end, text: old.endsWith('\n') ? `${hazardsText}\n` : hazardsText });
  }
  const sql = valueRange(doc, 'sql', true);
  if (c.expect.sql !== undefined && actual.sql !== undefined && sql !== undefined) {
    edits.push({ start: sql.start, end: sql.end, text: literalBlock(actual.sql) });
  } else if (opts.pinSql === true && actual.sql !== undefined && sql === undefined) {
    // Pinning a case that did not pin its SQL: the block goes at the end of the file.
    edits.push({ start: before.length, end: before.length, text: `${before.endsWith('\n') ? '' : '\n'}sql: ${literalBlock(actual.sql)}` });
  }
  let after = before;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    after = after.slice(0, edit.start) + edit.text + after.slice(edit.end);
  }
  if (after === before) return false;
  writeFileSync(c.expectPath, after);
  return true;
}
