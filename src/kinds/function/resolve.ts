/**
 * A function's names as the file writes them: the map key (`name` or `name(type, …)`) and a
 * `table(…)` result. Used by the file's index (src/desired/resolve.ts), the checks and the
 * conversion to the model.
 */

/** `name` or `name(type, type)`: the function name and the argument types the key lists. */
export function parseFunctionKey(
  key: string,
): { readonly name: string; readonly argTypes?: readonly string[] } | { readonly error: string } {
  const open = key.indexOf('(');
  if (open < 0) return { name: key };
  if (!key.trimEnd().endsWith(')')) return { error: `function key "${key}" must be "name" or "name(type, ...)"` };
  const name = key.slice(0, open).trim();
  if (name === '') return { error: `function key "${key}" has no name before "("` };
  const inner = key.slice(open + 1, key.trimEnd().length - 1);
  if (inner.trim() === '') return { name, argTypes: [] };
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === ',' && depth === 0) {
      parts.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(inner.slice(start).trim());
  if (parts.some((p) => p === '')) return { error: `function key "${key}" has an empty argument type` };
  return { name, argTypes: parts };
}

/** Splits `table(id integer, name text)` into its columns, or undefined when `text` is not that form. */
export function splitTableReturn(text: string): { readonly name: string; readonly type: string }[] | undefined {
  const match = /^\s*table\s*\(([\s\S]*)\)\s*$/i.exec(text);
  if (match === null) return undefined;
  const inner = match[1] ?? '';
  const columns: { name: string; type: string }[] = [];
  let depth = 0;
  let start = 0;
  const push = (part: string): void => {
    const trimmed = part.trim();
    const quoted = /^"((?:[^"]|"")+)"\s+([\s\S]+)$/.exec(trimmed);
    const plain = /^([^\s"]+)\s+([\s\S]+)$/.exec(trimmed);
    const found = quoted ?? plain;
    columns.push({ name: found === null ? trimmed : (found[1] ?? '').replaceAll('""', '"'), type: found === null ? '' : (found[2] ?? '') });
  };
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === ',' && depth === 0) {
      push(inner.slice(start, i));
      start = i + 1;
    }
  }
  push(inner.slice(start));
  return columns;
}
