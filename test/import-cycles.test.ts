/**
 * No import cycle in src/: the static imports of every source file (`import … from`, `export …
 * from`, side-effect imports) form a graph without cycles, so no module can see another half
 * initialised. Type-only imports (`import type`, or every name marked `type`) are left out: the
 * compiler erases them. Dynamic `import()` is left out too: it runs after every module loaded
 * (the CLI uses it to load only the command that runs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The relative modules a file imports at run time, as resolved .ts paths. */
export function runtimeImports(file: string, text: string): string[] {
  const out: string[] = [];
  const statement = /^[ \t]*(import|export)\s+([^;'"]*?)\s*from\s*['"](\.[^'"]+)['"]|^[ \t]*import\s*['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) {
    const spec = m[3] ?? m[4]!;
    const clause = (m[2] ?? '').trim();
    if (/^type\b/.test(clause)) continue;
    const names = /^\{([^}]*)\}$/.exec(clause)?.[1];
    if (
      names !== undefined &&
      names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '))
    )
      continue;
    out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** The cycles of a graph, each as the path that closes it (first node repeated at the end). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('the import graph of src/', () => {
  it('finds a cycle when there is one, and type-only or dynamic imports are not edges', () => {
    const a = resolve('/x/a.ts');
    const b = resolve('/x/b.ts');
    expect(
      runtimeImports(
        a,
        "import { f } from './b.js';\nimport type { T } from './c.js';\nimport { type U } from './d.js';\nconst m = import('./e.js');",
      ),
    ).toEqual([b]);
    expect(runtimeImports(a, "export { f } from './b.js';\nimport './c.js';\nimport {\n  g,\n  type V,\n} from './d.js';")).toEqual([
      b,
      resolve('/x/c.ts'),
      resolve('/x/d.ts'),
    ]);
    expect(
      findCycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([[a, b, a]]);
    expect(
      findCycles(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no cycle', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const graph = new Map(files.map((f) => [resolve(f), runtimeImports(f, readFileSync(f, 'utf8'))]));
    // The walk sees the imports: the CLI's entry reaches its argument parser.
    expect(graph.get(resolve(SRC, 'cli', 'main.ts'))).toContain(resolve(SRC, 'cli', 'args.ts'));
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
