/**
 * Reads `schema.yaml` into plain data while keeping where every node came from.
 *
 * The file is checked before YAML parsing (size, UTF-8, emptiness), parsed with `yaml` 2.x
 * (duplicate keys are errors), and converted to plain JavaScript by our own walk, so that
 * aliases are expanded under a hard budget (no "billion laughs") and every node's range is
 * recorded under its document path.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, ParsedNode, Scalar, YAMLMap } from 'yaml';
import type { Diagnostic, DocPath } from './diagnostic.js';
import { formatPath } from './diagnostic.js';

import { maxAliasCount, maxAliasExpansion, maxDocumentNodes, maxFileBytes } from './limits.js';

export { maxAliasCount, maxAliasExpansion, maxDocumentNodes, maxFileBytes };

/** Where one node is in the file: UTF-16 offsets into the decoded text. */
export interface NodeLocation {
  /** Start of the value (for a null value without a node: the key's end). */
  readonly start: number;
  readonly end: number;
  /** The mapping key that holds this value, if any. */
  readonly keyStart?: number;
  /** The YAML scalar style (`PLAIN`, `QUOTE_DOUBLE`, `BLOCK_LITERAL`, …), for scalars. */
  readonly scalarType?: string;
  /** The scalar exactly as written (plain scalars), e.g. `9223372036854775807`. */
  readonly raw?: string;
}

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One node of the location trie: the node's location and its children by key or index. */
export interface LocationSlot {
  location?: NodeLocation;
  children?: Map<string | number, LocationSlot>;
}

/**
 * Locations of every node of a loaded document, by document path, and the arithmetic
 * that turns them (and offsets inside SQL fragments) into line:column positions.
 */
/** What the checks ask of a loaded document's positions (SourceMap, or the fast path's stand-in). */
export interface DocumentMap {
  /** The scalar at `path` exactly as written, when it was a plain scalar. */
  raw(path: DocPath): string | undefined;
  position(path: DocPath, on?: 'value' | 'key'): Position;
  fragmentPosition(path: DocPath, value: string, offset: number): Position;
}

export class SourceMap implements DocumentMap {
  readonly #root: LocationSlot = {};
  readonly #lines: LineCounter;
  readonly #text: string;

  constructor(text: string, lines: LineCounter) {
    this.#text = text;
    this.#lines = lines;
  }

  /** @internal The root slot, filled while walking the document. */
  rootSlot(): LocationSlot {
    return this.#root;
  }

  /** @internal The child slot of `parent` for `segment`, created when missing. */
  static child(parent: LocationSlot, segment: string | number): LocationSlot {
    parent.children ??= new Map();
    let slot = parent.children.get(segment);
    if (slot === undefined) {
      slot = {};
      parent.children.set(segment, slot);
    }
    return slot;
  }

  /** The node at `path`, or its closest recorded ancestor. */
  location(path: DocPath): NodeLocation | undefined {
    let slot: LocationSlot | undefined = this.#root;
    let best = slot.location;
    for (const segment of path) {
      slot = slot.children?.get(segment);
      if (slot === undefined) break;
      if (slot.location !== undefined) best = slot.location;
    }
    return best;
  }

  #exact(path: DocPath): NodeLocation | undefined {
    let slot: LocationSlot | undefined = this.#root;
    for (const segment of path) {
      slot = slot.children?.get(segment);
      if (slot === undefined) return undefined;
    }
    return slot.location;
  }

  /** The scalar at `path` exactly as written, when it was a plain scalar. */
  raw(path: DocPath): string | undefined {
    return this.#exact(path)?.raw;
  }

  /** Position of an offset into the decoded text. */
  positionOf(offset: number): Position {
    const pos = this.#lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  /**
   * Position of the node at `path`: its value, or with `on: 'key'` the mapping key
   * that holds it (falls back to the value for list items and the root).
   */
  position(path: DocPath, on: 'value' | 'key' = 'value'): Position {
    const loc = this.location(path);
    if (loc === undefined) return { line: 1, column: 1 };
    return this.positionOf(on === 'key' && loc.keyStart !== undefined ? loc.keyStart : loc.start);
  }

  /**
   * Position in the file of character `offset` (0-based) of the string scalar at `path`,
   * for SQL fragments: block scalars (`|`, `>`), quoted and plain scalars alike.
   *
   * @example
   * // body: |
   * //   BEGIN
   * //     RETURN NEW
   * map.fragmentPosition(['…', 'body'], 8)  // the line:column of "RETURN" in the file
   */
  fragmentPosition(path: DocPath, value: string, offset: number): Position {
    const loc = this.#exact(path);
    if (loc === undefined) return this.position(path);
    const file = alignFragment(this.#text, loc, value, offset);
    return this.positionOf(file);
  }
}

/**
 * Maps an offset into a scalar's value to an offset into the file, by walking the value and
 * its source side by side: characters that appear in the value are matched in order, what the
 * source has in addition (quotes, block headers, indentation, escapes, folded line breaks) is
 * skipped. Exact for every non-blank character of literal and plain scalars.
 */
function alignFragment(text: string, loc: NodeLocation, value: string, offset: number): number {
  let sp = loc.start;
  const end = Math.min(loc.end, text.length);
  const type = loc.scalarType ?? 'PLAIN';
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const newline = text.indexOf('\n', sp);
    sp = newline < 0 || newline >= end ? end : newline + 1;
  } else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
    sp += 1;
  }
  // An offset at the end of the value (e.g. "syntax error at end of input") is placed just
  // after its last visible character.
  const trimmed = value.trimEnd().length;
  const atEnd = offset >= trimmed && trimmed > 0;
  const target = atEnd ? trimmed - 1 : Math.max(0, offset);
  let last = sp;
  for (let vp = 0; vp < value.length && sp < end; vp++) {
    const ch = value[vp];
    // Look ahead a bounded distance for the character; a miss (an escape) keeps our place.
    const limit = Math.min(end, sp + 256);
    let found = -1;
    for (let k = sp; k < limit; k++) {
      if (text[k] === ch) {
        found = k;
        break;
      }
    }
    const at = found >= 0 ? found : sp;
    if (vp === target) return atEnd ? at + 1 : at;
    last = at;
    if (found >= 0) sp = found + 1;
  }
  return last;
}

/** The loaded document: plain data plus the source map. */
export interface LoadedYaml {
  readonly fileName: string;
  /** The decoded text, without a leading byte-order mark. */
  readonly text: string;
  /** The file started with a UTF-8 byte-order mark (kept out of `text`, part of the file's hash). */
  readonly bom: boolean;
  readonly value: unknown;
  readonly map: DocumentMap;
}

export type LoadYamlResult =
  /**
   * `problems`: errors that did not stop the load (a duplicate key: the first definition is
   * kept), reported with whatever the later checks find, so that every error shows at once.
   */
  | { readonly ok: true; readonly doc: LoadedYaml; readonly problems?: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const fail = (file: string, line: number, column: number, message: string, path: DocPath = []): LoadYamlResult => ({
  ok: false,
  diagnostics: [{ file, line, column, path: formatPath(path), message }],
});

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let code = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Line and column (in characters) of byte `offset` of otherwise valid UTF-8 bytes. */
function bytePosition(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x0a) {
      line += 1;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) {
      column += 1;
    }
  }
  return { line, column };
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * Decodes and parses a desired-state file. Never throws for bad input: every problem comes
 * back as a positioned diagnostic.
 *
 * @example
 * const result = loadYaml(await readFile('schema.yaml'), 'schema.yaml');
 * if (result.ok) result.doc.map.position(['schemas', 'public'])  // { line: 3, column: 3 }
 */
export function loadYaml(input: Uint8Array | string, fileName: string): LoadYamlResult {
  let text: string;
  if (typeof input === 'string') {
    // Cheap upper bound first (3 bytes per UTF-16 unit), exact count only when needed.
    if (input.length > maxFileBytes && Buffer.byteLength(input, 'utf8') > maxFileBytes) {
      return fail(fileName, 1, 1, `the file is too large (${describeSize(Buffer.byteLength(input, 'utf8'))}; the limit is 4 MiB)`);
    }
    text = input;
  } else {
    if (input.length > maxFileBytes) {
      return fail(fileName, 1, 1, `the file is too large (${describeSize(input.length)}; the limit is 4 MiB)`);
    }
    const bad = firstInvalidUtf8(input);
    if (bad >= 0) {
      const pos = bytePosition(input, bad);
      const byte = (input[bad] ?? 0).toString(16).padStart(2, '0');
      return fail(fileName, pos.line, pos.column, `invalid UTF-8: byte 0x${byte} is not valid UTF-8 (save the file as UTF-8)`);
    }
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  if (text.trim() === '') {
    return fail(fileName, 1, 1, 'the file is empty: expected a mapping that starts with "version: 1"');
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    version: '1.2',
  });
  const map = new SourceMap(text, lines);
  // A duplicate key leaves a well-formed document: the load goes on (the first definition kept).
  const recoverable = doc.errors.length > 0 && doc.errors.every((e) => e.code === 'DUPLICATE_KEY');
  if (doc.errors.length > 0 && !recoverable) {
    return { ok: false, diagnostics: yamlErrors(doc, text, map, fileName) };
  }
  const problems = recoverable ? yamlErrors(doc, text, map, fileName) : [];
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null && root.range[0] === root.range[1])) {
    return fail(fileName, 1, 1, 'the file is empty: expected a mapping that starts with "version: 1"');
  }
  if (!isMap(root)) {
    const pos = map.positionOf(root.range[0]);
    const got = isSeq(root) ? 'a list' : isScalar(root) ? `the scalar ${JSON.stringify(String(root.value))}` : 'an alias';
    return fail(
      fileName,
      pos.line,
      pos.column,
      `the top level of the file must be a mapping (with "version: 1" and "schemas"), got ${got}`,
    );
  }
  const walker = new Walker(doc, map, fileName);
  const budgetProblem = walker.checkAliases(root);
  if (budgetProblem !== undefined) return { ok: false, diagnostics: [budgetProblem] };
  const value = walker.walk(root, map.rootSlot(), undefined, undefined);
  if (walker.diagnostics.length > 0) return { ok: false, diagnostics: [...problems, ...walker.diagnostics] };
  return { ok: true, doc: { fileName, text, bom, value, map }, ...(problems.length > 0 ? { problems } : {}) };
}

/** Turns the parser's errors into diagnostics, with clearer words for the common ones. */
function yamlErrors(doc: Document.Parsed, text: string, map: SourceMap, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenLines = new Set<number>();
  for (const error of doc.errors) {
    const offset = error.pos[0];
    let pos = map.positionOf(offset);
    let message = `YAML syntax error: ${lowerFirst(error.message)}`;
    let path = '';
    const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))?.[0] ?? '';
    if (error.code === 'TAB_AS_INDENT' || indent.includes('\t')) {
      const tabAt = lineStart + indent.indexOf('\t');
      pos = map.positionOf(indent.includes('\t') ? tabAt : offset);
      message = 'tab character in indentation: YAML indents with spaces only';
    } else if (error.code === 'DUPLICATE_KEY') {
      const dup = findDuplicate(doc.contents, offset, []);
      if (dup !== undefined) {
        const first = map.positionOf(dup.firstOffset);
        message = `duplicate key "${dup.key}" (first defined at line ${first.line}, column ${first.column})`;
        path = formatPath(dup.path);
      } else {
        message = 'duplicate key';
      }
    } else if (/call stack/i.test(error.message)) {
      message = 'the document is nested too deeply';
    } else if (error.code === 'MULTIPLE_DOCS') {
      message = 'the file holds several YAML documents ("---"); put everything in one';
    }
    // One message per line: the parser often reports a cascade of errors for one mistake.
    if (seenLines.has(pos.line)) continue;
    seenLines.add(pos.line);
    out.push({ file, line: pos.line, column: pos.column, path, message });
    if (out.length >= 20) break;
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** The mapping key starting at `offset` that repeats an earlier key of its mapping. */
function findDuplicate(node: unknown, offset: number, path: DocPath): { key: string; firstOffset: number; path: DocPath } | undefined {
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (isScalar(key) && key.range !== undefined && key.range !== null) {
        const name = String(key.value);
        const first = seen.get(name);
        if (key.range[0] === offset && first !== undefined) return { key: name, firstOffset: first, path: [...path, name] };
        if (first === undefined) seen.set(name, key.range[0]);
      }
      const inner = findDuplicate(pair.value, offset, isScalar(key) ? [...path, String(key.value)] : path);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const inner = findDuplicate(item, offset, [...path, i]);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Converts the parsed document to plain data, recording locations and expanding aliases under a budget. */
class Walker {
  readonly diagnostics: Diagnostic[] = [];
  readonly #doc: Document.Parsed;
  readonly #map: SourceMap;
  readonly #file: string;
  readonly #sizes = new Map<unknown, number>();

  constructor(doc: Document.Parsed, map: SourceMap, file: string) {
    this.#doc = doc;
    this.#map = map;
    this.#file = file;
  }

  #problem(offset: number, path: DocPath, message: string): Diagnostic {
    const pos = this.#map.positionOf(offset);
    return { file: this.#file, line: pos.line, column: pos.column, path: formatPath(path), message };
  }

  /**
   * Counts nodes after alias expansion (memoised per node, so linear in the file) and
   * rejects a document whose aliases expand beyond the budget before anything is expanded.
   */
  checkAliases(root: YamlNode): Diagnostic | undefined {
    let aliases = 0;
    let problem: Diagnostic | undefined;
    const active = new Set<unknown>();
    const size = (node: unknown): number => {
      if (problem !== undefined) return 1;
      if (node === null || node === undefined) return 1;
      const known = this.#sizes.get(node);
      if (known !== undefined) return known;
      let total = 1;
      if (isAlias(node)) {
        aliases += 1;
        const offset = node.range?.[0] ?? 0;
        if (aliases > maxAliasCount) {
          problem = this.#problem(offset, [], `too many aliases (more than ${maxAliasCount})`);
          return 1;
        }
        const target = node.resolve(this.#doc);
        if (target === undefined) {
          problem = this.#problem(offset, [], `unknown alias *${node.source} (no anchor &${node.source} before it)`);
          return 1;
        }
        if (active.has(target)) {
          problem = this.#problem(offset, [], `alias *${node.source} refers to a node that contains it`);
          return 1;
        }
        total = size(target);
        if (total > maxAliasExpansion && problem === undefined) {
          problem = this.#problem(
            offset,
            [],
            `alias *${node.source} expands to more than ${maxAliasExpansion} nodes; aliases are limited to ${maxAliasExpansion} (is this an alias bomb?)`,
          );
        }
      } else if (isMap(node) || isSeq(node)) {
        active.add(node);
        for (const item of node.items) {
          if (isPair(item)) total += size(item.key) + size(item.value);
          else total += size(item);
          if (total > maxDocumentNodes) break;
        }
        active.delete(node);
      }
      total = Math.min(total, maxDocumentNodes + 1);
      this.#sizes.set(node, total);
      return total;
    };
    const total = size(root);
    if (problem !== undefined) return problem;
    if (total > maxDocumentNodes) {
      return this.#problem(0, [], `the document expands to more than ${maxDocumentNodes} nodes`);
    }
    return undefined;
  }

  /** Converts `node` to plain data, recording locations under `slot`; `path` only names problems. */
  walk(node: unknown, slot: LocationSlot, path: PathLink, keyStart: number | undefined): unknown {
    if (isAlias(node)) {
      const target = node.resolve(this.#doc);
      const range = node.range ?? [0, 0];
      slot.location = { start: range[0], end: range[1], ...(keyStart !== undefined ? { keyStart } : {}) };
      if (target === undefined) return null;
      return this.#walkResolved(target, slot, path, keyStart, false);
    }
    return this.#walkResolved(node, slot, path, keyStart, true);
  }

  /**
   * A node with an explicit tag other than the core ones (`!!str`, `!!int`, …): `!!binary`,
   * `!!timestamp`, `!!set`, `!custom` would turn into data the format has no place for.
   */
  #badTag(node: unknown, path: PathLink): boolean {
    const tag = (node as { tag?: unknown }).tag;
    if (typeof tag !== 'string' || CORE_TAGS.has(tag)) return false;
    const range = (node as { range?: readonly number[] }).range;
    const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
    this.diagnostics.push(
      this.#problem(
        range?.[0] ?? 0,
        toPath(path),
        `the YAML tag ${shown} is not supported: write the value as plain text (tags other than !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are refused)`,
      ),
    );
    return true;
  }

  #walkResolved(node: unknown, slot: LocationSlot, path: PathLink, keyStart: number | undefined, record: boolean): unknown {
    if (this.#badTag(node, path)) return null;
    if (isScalar(node)) {
      const scalar = node as Scalar & ParsedNode;
      if (record) {
        const empty = scalar.value === null && scalar.range[0] === scalar.range[1] && keyStart !== undefined;
        const type = scalar.type ?? 'PLAIN';
        slot.location = {
          start: empty ? keyStart : scalar.range[0],
          end: scalar.range[1],
          ...(keyStart !== undefined ? { keyStart } : {}),
          scalarType: type,
          ...(type === 'PLAIN' && typeof scalar.source === 'string' ? { raw: scalar.source } : {}),
        };
      }
      const v = scalar.value;
      if (typeof v === 'bigint') return Number(v);
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        this.diagnostics.push(
          this.#problem(
            scalar.range[0],
            toPath(path),
            'this value is not text, a number, a boolean or null (a YAML tag or type the format does not use)',
          ),
        );
        return null;
      }
      return v;
    }
    if (isMap(node)) {
      const mapNode = node as YAMLMap & ParsedNode;
      if (record) slot.location = { start: mapNode.range[0], end: mapNode.range[1], ...(keyStart !== undefined ? { keyStart } : {}) };
      // No prototype: a key named "__proto__" is just a key.
      const out = Object.create(null) as Record<string, unknown>;
      for (const pair of mapNode.items) {
        const keyNode = pair.key;
        const keyOffset =
          isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) || isAlias(keyNode) ? (keyNode.range?.[0] ?? 0) : mapNode.range[0];
        if (!isScalar(keyNode)) {
          this.diagnostics.push(this.#problem(keyOffset, toPath(path), 'a mapping key must be a plain name, not a list or mapping'));
          continue;
        }
        if (this.#badTag(keyNode, path)) continue;
        if (keyNode.value === null || keyNode.value === '') {
          this.diagnostics.push(this.#problem(keyOffset, toPath(path), 'empty mapping key'));
          continue;
        }
        const key = keyNode.type === 'PLAIN' && typeof keyNode.source === 'string' ? keyNode.source : String(keyNode.value);
        if (key === '<<' && keyNode.type === 'PLAIN') {
          this.diagnostics.push(this.#problem(keyOffset, toPath(path), 'merge keys ("<<") are not supported: write the keys out'));
          continue;
        }
        // A duplicate key (reported by the parser) keeps its first definition.
        if (Object.prototype.hasOwnProperty.call(out, key)) continue;
        const childSlot = SourceMap.child(slot, key);
        const childPath: PathLink = { up: path, segment: key };
        const valueNode = pair.value;
        if (valueNode === null || valueNode === undefined) {
          childSlot.location = { start: keyOffset, end: keyNode.range?.[1] ?? keyOffset, keyStart: keyOffset };
          out[key] = null;
          continue;
        }
        out[key] = this.walk(valueNode, childSlot, childPath, keyOffset);
      }
      return out;
    }
    if (isSeq(node)) {
      const seq = node as { items: unknown[]; range: [number, number, number] };
      if (record) slot.location = { start: seq.range[0], end: seq.range[1], ...(keyStart !== undefined ? { keyStart } : {}) };
      return seq.items.map((item, i) => this.walk(item, SourceMap.child(slot, i), { up: path, segment: i }, undefined));
    }
    return null;
  }
}

/** The tags of YAML 1.2's core schema: an explicit one only restates a plain type. */
const CORE_TAGS: ReadonlySet<string> = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`),
);

/** A document path as a linked list (cheap to extend while walking), root = undefined. */
type PathLink = { readonly up: PathLink; readonly segment: string | number } | undefined;

function toPath(link: PathLink): DocPath {
  const out: (string | number)[] = [];
  for (let at = link; at !== undefined; at = at.up) out.push(at.segment);
  return out.reverse();
}
