/**
 * Diagnostics: one positioned message about the desired-state file, and how they print.
 */
import { editDistance } from '../model/edit-distance.js';

/** One problem found in the file, placed on a node (1-based line and column). */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Document path of the offending node, e.g. `schemas.public.tables.users`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** A path into the YAML document: mapping keys and list indexes. */
export type DocPath = readonly (string | number)[];

// eslint-disable-next-line no-control-regex
const plainKey = /^[^.\s[\]"\u0000-\u001f\u007f]+$/;

/**
 * Dot-joined keys; a key containing a dot, a space or a bracket is written `["…"]`,
 * list items as `[2]`.
 *
 * @example
 * formatPath(['schemas', 'public', 'tables', 'my table', 'columns'])  // 'schemas.public.tables["my table"].columns'
 * formatPath(['schemas', 'public', 'tables', 't', 'unique', 0])        // 'schemas.public.tables.t.unique[0]'
 */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (plainKey.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * `file:line:column path: message` (the path is left out when the problem concerns the whole file).
 *
 * @example
 * formatDiagnostic({ file: 'schema.yaml', line: 14, column: 9, path: 'schemas.public.tables.users.columns.email.type',
 *   message: 'unknown type "varchr" (did you mean "varchar"?)' })
 * // 'schema.yaml:14:9 schemas.public.tables.users.columns.email.type: unknown type "varchr" (did you mean "varchar"?)'
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  return d.path === '' ? `${where}: ${d.message}` : `${where} ${d.path}: ${d.message}`;
}

/** Sorts by line, then column, then message, and drops exact duplicates. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort(
    (a, b) => a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  return sorted.filter((d, i) => {
    const prev = sorted[i - 1];
    return prev === undefined || formatDiagnostic(prev) !== formatDiagnostic(d);
  });
}

/** Thrown by `loadDesiredState` when the file is invalid; carries every diagnostic, sorted. */
export class DesiredStateError extends Error {
  override readonly name = 'DesiredStateError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
    super(first === undefined ? 'invalid desired state' : `${formatDiagnostic(first)}${more}`);
    this.diagnostics = diagnostics;
  }
}

/**
 * The closest candidate when it is close enough to be a likely typo, else undefined.
 *
 * @example
 * closestName('nulable', ['type', 'nullable', 'default'])  // 'nullable'
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = candidate.toLowerCase() === lower ? 0.5 : editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "x"?)` or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closestName(word, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
