/**
 * A small YAML emitter for the desired-state file: a tree of nodes in a fixed key order,
 * rendered deterministically (same tree, same bytes) and readably — short mappings and lists
 * in flow style on one line (`id: { type: serial }`), long or multi-line ones in block style,
 * function bodies as literal block scalars, and every scalar quoted exactly when YAML would
 * otherwise read it as something else.
 */
import jsYaml from 'js-yaml';

/** How a mapping or list is laid out: always block, always flow, or flow when it fits on its line. */
export type YamlStyle = 'block' | 'flow' | 'auto';

export type YamlNode =
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, YamlNode])[]; readonly style: YamlStyle }
  | { readonly kind: 'seq'; readonly items: readonly YamlNode[]; readonly style: YamlStyle }
  /** `literal`: written as a `|` block scalar where that keeps the exact text (function bodies). */
  | { readonly kind: 'string'; readonly value: string; readonly literal: boolean }
  /** A whole number written bare; its text is exactly what is written. */
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean };

/** Lines longer than this go to block style. */
const WIDTH = 100;

/** A mapping; entries whose value is undefined are left out. */
export function yamlMap(entries: readonly (readonly [string, YamlNode | undefined])[], style: YamlStyle = 'auto'): YamlNode {
  return {
    kind: 'map',
    entries: entries.filter((e): e is readonly [string, YamlNode] => e[1] !== undefined),
    style,
  };
}

export function yamlSeq(items: readonly YamlNode[], style: YamlStyle = 'auto'): YamlNode {
  return { kind: 'seq', items, style };
}

export function yamlString(value: string): YamlNode {
  return { kind: 'string', value, literal: false };
}

/** A string written as a literal block scalar when that reads back exactly (else quoted). */
export function yamlText(value: string): YamlNode {
  return { kind: 'string', value, literal: true };
}

export function yamlBool(value: boolean): YamlNode {
  return { kind: 'boolean', value };
}

/**
 * A whole number: bare when it reads back exactly as a JavaScript number (|n| < 2^53), else
 * a quoted string of digits, as the format asks for values beyond 2^53.
 *
 * @example
 * yamlInteger('100')                    // number node, written 100
 * yamlInteger('9223372036854775807')    // string node, written "9223372036854775807"
 */
export function yamlInteger(text: string): YamlNode {
  const safe = /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) && String(Number(text)) === text;
  return safe ? { kind: 'number', text } : yamlString(text);
}

// ---- scalars -------------------------------------------------------------------------------

/** Words YAML 1.1 or 1.2 reads as booleans or null. */
const SPECIAL_WORDS = /^(?:true|false|yes|no|on|off|y|n|null)$/i;

/** Characters that are never printable in a YAML scalar outside double quotes (with escapes). */
function hasNonPrintable(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0x09 || code === 0x0a) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
    if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return true;
    if (code >= 0xd800 && code <= 0xdfff) return true; // a lone surrogate
    if (code === 0xfffe || code === 0xffff) return true;
  }
  return false;
}

/**
 * True when `text` can be written without quotes and reads back as the same string, in block
 * and flow context alike: it starts with a letter, `_` or `(`, holds none of `: # , [ ] { }`,
 * no tab, newline or other control, no leading or trailing space, and is not a word YAML reads
 * as a boolean or null.
 */
export function isPlainSafe(text: string): boolean {
  if (text === '' || text !== text.trim()) return false;
  if (!/^[\p{L}_(]/u.test(text)) return false;
  if (/[:#,[\]{}\t\n\r]/.test(text)) return false;
  if (SPECIAL_WORDS.test(text)) return false;
  return !hasNonPrintable(text);
}

/** A double-quoted scalar; everything that is not printable is escaped. */
export function doubleQuoted(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    switch (char) {
      case '\\':
        out += '\\\\';
        continue;
      case '"':
        out += '\\"';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\0':
        out += '\\0';
        continue;
      default:
        break;
    }
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff ||
      code === 0xfffe ||
      code === 0xffff ||
      (code >= 0xd800 && code <= 0xdfff)
    ) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += char;
  }
  return `${out}"`;
}

/**
 * One string on one line: plain when safe, else single-quoted when it holds `"` or `\` (no
 * escapes needed there), else double-quoted.
 *
 * @example
 * inlineString('now()')                 // now()
 * inlineString("'pending'")             // "'pending'"
 * inlineString('"MyCol" > 0')           // '"MyCol" > 0'
 * inlineString('numeric(10,2)')         // "numeric(10,2)"
 */
export function inlineString(text: string): string {
  if (isPlainSafe(text)) return text;
  if (!hasNonPrintable(text) && !/[\t\n]/.test(text) && (text.includes('"') || text.includes('\\'))) {
    return `'${text.replaceAll("'", "''")}'`;
  }
  return doubleQuoted(text);
}

/**
 * The lines of a literal block scalar for `text` under a key at `indent`: the header
 * (`|`, `|-`, `|+`, with an indentation indicator where the first line starts with a space)
 * and the content lines. Undefined when a block scalar cannot hold the text exactly
 * (carriage returns, control characters, nothing but line breaks).
 */
function literalBlock(text: string, indent: number): string[] | undefined {
  if (text.trim() === '' || text.includes('\r') || hasNonPrintable(text)) return undefined;
  const trailing = /\n*$/.exec(text)?.[0].length ?? 0;
  const core = text.slice(0, text.length - trailing);
  const lines = core.split('\n');
  const chomping = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const firstContent = lines.findIndex((line) => line.trim() !== '');
  const needsIndicator = lines.slice(0, firstContent + 1).some((line, i) => (i < firstContent ? line !== '' : /^[ \t]/.test(line)));
  const pad = ' '.repeat(indent + 2);
  const header = `|${needsIndicator ? '2' : ''}${chomping}`;
  const content = lines.map((line) => (line === '' ? '' : `${pad}${line}`));
  for (let i = 1; i < trailing; i++) content.push('');
  return [header, ...content];
}

/** True when `key: <block>` reads back as exactly `text`. */
function blockReadsBack(lines: readonly string[], text: string): boolean {
  try {
    const value = jsYaml.load(`k: ${lines.join('\n')}\n`, { schema: jsYaml.CORE_SCHEMA }) as { k?: unknown } | null;
    return value?.k === text;
  } catch {
    return false;
  }
}

// ---- layout --------------------------------------------------------------------------------

function renderKey(key: string): string {
  return inlineString(key);
}

function renderScalar(node: Extract<YamlNode, { kind: 'string' | 'number' | 'boolean' }>): string {
  switch (node.kind) {
    case 'string':
      return inlineString(node.value);
    case 'number':
      return node.text;
    case 'boolean':
      return node.value ? 'true' : 'false';
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** A multi-line or literal string prefers block layout, so its parents do too. */
function prefersBlock(node: YamlNode): boolean {
  switch (node.kind) {
    case 'string':
      return node.literal || node.value.includes('\n');
    case 'number':
    case 'boolean':
      return false;
    case 'map':
      return node.style === 'block' || node.entries.some(([, v]) => prefersBlock(v));
    case 'seq':
      return node.style === 'block' || node.items.some(prefersBlock);
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** The node on one line in flow style. */
function renderFlow(node: YamlNode): string {
  switch (node.kind) {
    case 'map':
      return node.entries.length === 0 ? '{}' : `{ ${node.entries.map(([k, v]) => `${renderKey(k)}: ${renderFlow(v)}`).join(', ')} }`;
    case 'seq':
      return `[${node.items.map(renderFlow).join(', ')}]`;
    default:
      return renderScalar(node);
  }
}

/** The flow form when the node may and does fit in `room` characters. */
function fittingFlow(node: YamlNode, room: number): string | undefined {
  if (node.kind !== 'map' && node.kind !== 'seq') return renderScalar(node);
  const empty = node.kind === 'map' ? node.entries.length === 0 : node.items.length === 0;
  if (empty) return node.kind === 'map' ? '{}' : '[]';
  if (node.style === 'block' || prefersBlock(node)) return undefined;
  const flow = renderFlow(node);
  return node.style === 'flow' || flow.length <= room ? flow : undefined;
}

function renderBlockMap(node: Extract<YamlNode, { kind: 'map' }>, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, value] of node.entries) {
    const head = `${pad}${renderKey(key)}:`;
    if (value.kind === 'string' && (value.literal || value.value.includes('\n'))) {
      const block = literalBlock(value.value, indent);
      if (
        block !== undefined &&
        blockReadsBack(
          block.map((l, i) => (i === 0 ? l : l.slice(indent))),
          value.value,
        )
      ) {
        out.push(`${head} ${block[0]}`, ...block.slice(1));
        continue;
      }
      out.push(`${head} ${doubleQuoted(value.value)}`);
      continue;
    }
    const flow = fittingFlow(value, WIDTH - head.length - 1);
    if (flow !== undefined) {
      out.push(`${head} ${flow}`);
      continue;
    }
    out.push(head);
    renderBlock(value, indent + 2, out);
  }
}

function renderBlockSeq(node: Extract<YamlNode, { kind: 'seq' }>, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of node.items) {
    const flow = fittingFlow(item, WIDTH - indent - 2);
    if (flow !== undefined) {
      out.push(`${pad}- ${flow}`);
      continue;
    }
    const lines: string[] = [];
    renderBlock(item, indent + 2, lines);
    const first = lines[0] ?? '';
    out.push(`${pad}- ${first.slice(indent + 2)}`, ...lines.slice(1));
  }
}

function renderBlock(node: YamlNode, indent: number, out: string[]): void {
  switch (node.kind) {
    case 'map':
      renderBlockMap(node, indent, out);
      return;
    case 'seq':
      renderBlockSeq(node, indent, out);
      return;
    default:
      out.push(`${' '.repeat(indent)}${renderScalar(node)}`);
  }
}

/** The plain JavaScript value a node stands for (what a YAML parser must read back). */
export function plainValue(node: YamlNode): unknown {
  switch (node.kind) {
    case 'map':
      return Object.fromEntries(node.entries.map(([k, v]) => [k, plainValue(v)]));
    case 'seq':
      return node.items.map(plainValue);
    case 'string':
      return node.value;
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.value;
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** Thrown when the emitted text would not read back as the tree: a bug in this writer. */
export class YamlWriteError extends Error {
  override readonly name = 'YamlWriteError';
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}

/**
 * Renders a top-level mapping as a YAML document (after `header` comment lines), and checks
 * that it reads back as the same data; throws `YamlWriteError` if it would not.
 *
 * @example
 * renderDocument(yamlMap([['version', yamlInteger('1')]], 'block'), ['# a comment'])
 * // '# a comment\nversion: 1\n'
 */
export function renderDocument(root: YamlNode, header: readonly string[] = []): string {
  if (root.kind !== 'map') throw new YamlWriteError('the document root must be a mapping');
  const lines: string[] = [...header];
  renderBlockMap(root, 0, lines);
  const text = `${lines.join('\n')}\n`;
  let read: unknown;
  try {
    read = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  } catch (error) {
    throw new YamlWriteError(`the written YAML does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!sameValue(read, plainValue(root))) throw new YamlWriteError('the written YAML does not read back as the data it was written from');
  return text;
}
