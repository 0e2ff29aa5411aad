/**
 * The fast path for a valid file. Parsing with positions (the `yaml` package's document model)
 * is what lets every error name its line and column, but it costs about ten times a plain
 * parse, and a valid file needs no positions at all. So the file is first read with js-yaml
 * (YAML 1.2 core schema) and checked with a position map that cannot answer: if nothing asks
 * for a position, the file is valid and done; the first question about a position (an error
 * to report, or a big integer's exact text) abandons the fast path, and the positional loader
 * does the whole job again, with its own stricter YAML checks.
 */
import jsYaml from 'js-yaml';
import type { DocPath } from './diagnostic.js';
import type { DocumentMap, LoadedYaml, Position } from './load-yaml.js';

/** Thrown by the fast path's position map: the document needs the positional loader. */
export class NeedsPositions extends Error {
  override readonly name = 'NeedsPositions';
}

const noPositions: DocumentMap = {
  // Plain integers of up to 15 digits read back exactly (fastLoad leaves other numbers to the
  // positional loader), so their text is what String() gives.
  raw(_path: DocPath): string | undefined {
    return undefined;
  },
  position(_path: DocPath): Position {
    throw new NeedsPositions('position needed');
  },
  fragmentPosition(_path: DocPath): Position {
    throw new NeedsPositions('position needed');
  },
};

/**
 * A plain scalar whose number value would not give back its text (`1.0`, `1e3`, `007`, `+5`):
 * SQL fragments written that way keep their text only through the positional loader.
 */
const INEXACT_NUMBER = /(?:^|[\s:,[{-])[-+]?(?:\d*\.\d+|\d+\.\d*|\d+[eE][-+]?\d+|0\d+|\+\d+|\.inf|\.nan)\s*(?:$|[,}\]#])/im;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** True when no object or array is reached twice (YAML aliases would share them). */
function isTree(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (seen.has(value)) return false;
  seen.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) if (!isTree(child, seen)) return false;
  return true;
}

/**
 * The document read without positions, or undefined when the fast path does not apply
 * (undecodable bytes, YAML js-yaml rejects, aliases, integers too long for a double).
 */
export function fastLoad(input: Uint8Array | string, fileName: string): LoadedYaml | undefined {
  let text: string;
  try {
    text = typeof input === 'string' ? input : decoder.decode(input);
  } catch {
    return undefined;
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  if (text.trim() === '' || /\d{16,}/.test(text) || text.includes('\t') || INEXACT_NUMBER.test(text)) return undefined;
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: fileName });
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !isTree(value)) return undefined;
  return { fileName, text, bom, value, map: noPositions };
}
