/**
 * The desired state: load `schema.yaml`, validate it (YAML, JSON Schema, semantics) and
 * convert it to the model. Every problem is a positioned `Diagnostic`; nothing here touches
 * a database.
 */
import { open, stat } from 'node:fs/promises';
import type { DesiredState } from '../model/types.js';
import { initParser } from '../sql/parser.js';
import { checkSemantics } from './check-semantics.js';
import type { Diagnostic, DocPath } from './diagnostic.js';
import { DesiredStateError, formatPath, sortDiagnostics } from './diagnostic.js';
import { maxFileBytes } from './limits.js';
import { toModel } from './to-model.js';
import { fastLoad, NeedsPositions } from './fast-load.js';
import { cacheKey, readCached, writeCached } from './cache.js';
import { validateShape } from './validate-schema.js';

export type { Diagnostic, DocPath } from './diagnostic.js';
export { DesiredStateError, formatDiagnostic, formatPath } from './diagnostic.js';

/** The outcome of validating a file: diagnostics sorted by line and column, and the state when valid. */
export interface ValidationResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  state?: DesiredState;
}

const fileProblem = (file: string, message: string): ValidationResult => ({
  ok: false,
  diagnostics: [{ file, line: 1, column: 1, path: formatPath([]), message }],
});

function describeIoError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'cannot read the file: it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file: permission denied';
  if (code === 'EISDIR') return 'cannot read the file: it is a directory';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/** Reads at most the size limit plus one byte, so a huge file is refused without reading it all. */
async function readBounded(path: string): Promise<Uint8Array | ValidationResult> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fileProblem(path, 'cannot read the file: it is a directory');
    if (info.size > maxFileBytes) {
      return fileProblem(path, `the file is too large (${(info.size / (1024 * 1024)).toFixed(1)} MiB; the limit is 4 MiB)`);
    }
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(maxFileBytes + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length >= buffer.length) break;
      }
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return fileProblem(path, describeIoError(error));
  }
}

/** A valid file through the fast path (see ./fast-load.ts); undefined sends it to the positional loader. */
async function validateFast(input: Uint8Array | string, fileName: string): Promise<ValidationResult | undefined> {
  const fast = fastLoad(input, fileName);
  if (fast === undefined) return undefined;
  try {
    if (validateShape(fast).length > 0) return undefined;
    await initParser();
    if (checkSemantics(fast).length > 0) return undefined;
    return { ok: true, diagnostics: [], state: toModel(fast) };
  } catch (error) {
    if (error instanceof NeedsPositions) return undefined;
    throw error;
  }
}

async function validateInput(input: Uint8Array | string, fileName: string, fastPath = true): Promise<ValidationResult> {
  try {
    // A file over the limit goes straight to the loader that refuses it, unparsed.
    const tooLarge =
      typeof input === 'string'
        ? input.length > maxFileBytes / 3 && Buffer.byteLength(input, 'utf8') > maxFileBytes
        : input.length > maxFileBytes;
    const fast = fastPath && !tooLarge ? await validateFast(input, fileName) : undefined;
    if (fast !== undefined) return fast;
    // The positional loader (the `yaml` package) is loaded only when the fast path gives up.
    const { loadYaml } = await import('./load-yaml.js');
    const loaded = loadYaml(input, fileName);
    if (!loaded.ok) return { ok: false, diagnostics: sortDiagnostics(loaded.diagnostics) };
    // Problems that did not stop the load (a duplicate key) are reported with everything else.
    const early = loaded.problems ?? [];
    const shape = validateShape(loaded.doc);
    if (shape.length > 0) return { ok: false, diagnostics: sortDiagnostics([...early, ...shape]) };
    await initParser();
    const semantic = checkSemantics(loaded.doc);
    if (semantic.length > 0 || early.length > 0) return { ok: false, diagnostics: sortDiagnostics([...early, ...semantic]) };
    return { ok: true, diagnostics: [], state: toModel(loaded.doc) };
  } catch (error) {
    if (error instanceof RangeError) return fileProblem(fileName, 'the document is nested too deeply');
    // A bug of ours, never the user's: say so in one line, without a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    return fileProblem(fileName, `internal error while checking the file (please report it): ${message}`);
  }
}

/**
 * Where the node at `path` is in `file`, read again with positions: for problems found after the
 * file was loaded (a plan against a database). Line 1, column 1 when the file cannot be read
 * again or no longer holds the node.
 *
 * @example
 * await positionInFile('schema.yaml', ['external_types', 0])  // { line: 3, column: 5 }
 */
export async function positionInFile(file: string, path: DocPath): Promise<{ readonly line: number; readonly column: number }> {
  const bytes = await readBounded(file);
  if (!(bytes instanceof Uint8Array)) return { line: 1, column: 1 };
  const { loadYaml } = await import('./load-yaml.js');
  const loaded = loadYaml(bytes, file);
  return loaded.ok ? loaded.doc.map.position(path) : { line: 1, column: 1 };
}

/**
 * Validates a desired-state file without touching a database.
 *
 * @example
 * const { ok, diagnostics } = await validateFile('schema.yaml');
 * for (const d of diagnostics) console.error(formatDiagnostic(d));
 */
export async function validateFile(path: string): Promise<ValidationResult> {
  const bytes = await readBounded(path);
  if (!(bytes instanceof Uint8Array)) return bytes;
  return validateInput(bytes, path);
}

/**
 * Loads and validates `path` into the desired state; throws `DesiredStateError` (with every
 * diagnostic) when the file is invalid. With `cacheDir`, a file already loaded by the same
 * build is taken from the cache there (see ./cache.ts).
 *
 * @example
 * const desired = await loadDesiredState('schema.yaml');
 * desired.model.tables.length  // 14
 */
export async function loadDesiredState(path: string, options: { readonly cacheDir?: string } = {}): Promise<DesiredState> {
  if (options.cacheDir !== undefined) {
    const bytes = await readBounded(path);
    if (!(bytes instanceof Uint8Array)) throw new DesiredStateError(bytes.diagnostics);
    const key = cacheKey(bytes);
    const cached = key !== undefined ? await readCached(options.cacheDir, key, path) : undefined;
    if (cached !== undefined) return cached;
    const result = await validateInput(bytes, path);
    if (!result.ok || result.state === undefined) throw new DesiredStateError(result.diagnostics);
    if (key !== undefined) await writeCached(options.cacheDir, key, result.state);
    return result.state;
  }
  const result = await validateFile(path);
  if (!result.ok || result.state === undefined) throw new DesiredStateError(result.diagnostics);
  return result.state;
}

/**
 * Like `loadDesiredState`, from text already in memory; `fileName` is used in diagnostics.
 * `fastPath: false` skips the position-less fast path (see ./fast-load.ts); the result is the same.
 *
 * @example
 * const desired = await loadDesiredStateFromText('version: 1\n', 'inline.yaml');
 */
export async function loadDesiredStateFromText(
  text: string,
  fileName: string,
  options: { readonly fastPath?: boolean } = {},
): Promise<DesiredState> {
  const result = await validateInput(text, fileName, options.fastPath ?? true);
  if (!result.ok || result.state === undefined) throw new DesiredStateError(result.diagnostics);
  return result.state;
}
