/**
 * Dependency order from a graph, never from a hand-kept list (docs/architecture.md rule 2).
 *
 * Every step is a vertex. Edges come from the keys steps create, drop and require:
 * - a step that requires a key runs after the steps that create it;
 * - a step whose object used a key in the live database runs before the steps that drop it
 *   (drop an index before its column, a FK before the referenced table or key);
 * - a key dropped and created again (a constraint redefined under the same name): drop first;
 * - the steps of one change run in the order the change gave them;
 * - a kind that declares `enclosesAllExcept` (extensions: anything may use what they provide) has
 *   its creates run before every other create and its drops after every other drop;
 * - a data change runs after what its `after:` names (it requires those keys) and before what its
 *   `before:` names (it live-requires a table or column that is dropped; it creates the key a
 *   column's NOT NULL steps require);
 * - a rename (`ChangeHandling.renames`) creates the new name of an existing object: no edge from a
 *   drop of the same key.
 * Among the steps that are free to run, the lower phase wins (creates early, drops late), then
 * the diff's own order: the result is deterministic.
 */
import { Graph, alg } from '@dagrejs/graphlib';
import { PlanError } from './plan-context.js';
import { isRename, kindOfChange, kindOfStep } from '../kinds/registry.js';
import type { StepDraft } from './step-draft.js';
import type { ChangeKind } from '../diff/changes.js';

/** Data changes (src/data-changes/) run, among the steps free to run, after every create and before the drops. */
const DATA_CHANGE_PHASE = 10;

/** A min-heap of step indexes by (phase, index). */
class StepHeap {
  private readonly items: number[] = [];
  constructor(private readonly phaseOf: (i: number) => number) {}

  get size(): number {
    return this.items.length;
  }

  private less(a: number, b: number): boolean {
    const pa = this.phaseOf(a);
    const pb = this.phaseOf(b);
    return pa !== pb ? pa < pb : a < b;
  }

  push(i: number): void {
    const items = this.items;
    items.push(i);
    let n = items.length - 1;
    while (n > 0) {
      const parent = (n - 1) >> 1;
      if (!this.less(items[n]!, items[parent]!)) break;
      [items[n], items[parent]] = [items[parent]!, items[n]!];
      n = parent;
    }
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let n = 0;
      for (;;) {
        const l = 2 * n + 1;
        const r = l + 1;
        let m = n;
        if (l < items.length && this.less(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!)) m = r;
        if (m === n) break;
        [items[n], items[m]] = [items[m]!, items[n]!];
        n = m;
      }
    }
    return top;
  }
}

function index(map: Map<string, number[]>, k: string, i: number): void {
  const list = map.get(k);
  if (list) list.push(i);
  else map.set(k, [i]);
}

/**
 * Orders the steps. `changeOf[i]` says which change step i came from (steps of one change
 * are consecutive in `steps`).
 */
export function orderSteps(steps: readonly StepDraft[], changeOf: readonly number[]): StepDraft[] {
  const n = steps.length;
  const graph = new Graph({ directed: true });
  for (let i = 0; i < n; i += 1) graph.setNode(String(i));

  const creators = new Map<string, number[]>();
  const droppers = new Map<string, number[]>();
  steps.forEach((s, i) => {
    for (const k of s.creates) index(creators, k, i);
    for (const k of s.drops) index(droppers, k, i);
  });
  const edge = (from: number, to: number): void => {
    if (from !== to) graph.setEdge(String(from), String(to));
  };
  const sameChange = (a: number, b: number): boolean => changeOf[a] === changeOf[b];

  // Kinds whose objects anything may use (extensions) wrap every other step: their creates run
  // first, their drops last, but for the kinds they live in (the schema an extension is in).
  const enclosingCreates: number[] = [];
  const enclosingDrops: number[] = [];
  steps.forEach((s, i) => {
    if (i > 0 && sameChange(i - 1, i)) edge(i - 1, i);
    for (const k of s.requires) {
      const made = creators.get(k);
      if (made) for (const c of made) edge(c, i);
      else for (const d of droppers.get(k) ?? []) edge(i, d);
    }
    for (const k of s.liveRequires) for (const d of droppers.get(k) ?? []) if (!sameChange(i, d)) edge(i, d);
    if (s.change === 'data_change') return;
    if (!isRename(s.change)) for (const k of s.creates) for (const d of droppers.get(k) ?? []) if (!sameChange(i, d)) edge(d, i);
    const kind = kindOfChange(s.change);
    if (kind.enclosesAllExcept !== undefined) (kind.drops.includes(s.change) ? enclosingDrops : enclosingCreates).push(i);
  });
  if (enclosingCreates.length > 0 || enclosingDrops.length > 0) {
    steps.forEach((s, i) => {
      if (s.change === 'data_change') return;
      const kind = kindOfStep(s);
      if (kind.enclosesAllExcept !== undefined) return;
      if (s.action !== 'drop') {
        for (const e of enclosingCreates)
          if (!kindOfChange(steps[e]!.change as ChangeKind).enclosesAllExcept!.includes(kind.name)) edge(e, i);
      } else {
        // Every drop runs before the encloser's drops, but for the drop of what the encloser lives in.
        for (const e of enclosingDrops) if (!s.drops.some((k) => steps[e]!.liveRequires.includes(k))) edge(i, e);
      }
    });
  }

  // Kahn's algorithm with a priority queue.
  const inDegree = new Array<number>(n).fill(0);
  for (const e of graph.edges()) inDegree[Number(e.w)]! += 1;
  const phaseOf = (s: StepDraft): number =>
    s.change === 'data_change' ? DATA_CHANGE_PHASE : kindOfChange(s.change).phase[s.action === 'drop' ? 'drop' : 'create'];
  const heap = new StepHeap((i) => phaseOf(steps[i]!));
  for (let i = 0; i < n; i += 1) if (inDegree[i] === 0) heap.push(i);
  const ordered: StepDraft[] = [];
  while (heap.size > 0) {
    const i = heap.pop();
    ordered.push(steps[i]!);
    for (const w of graph.successors(String(i)) ?? []) {
      const j = Number(w);
      inDegree[j]! -= 1;
      if (inDegree[j] === 0) heap.push(j);
    }
  }
  if (ordered.length < n) {
    const cycles = alg.findCycles(graph).slice(0, 3);
    const described = cycles.map((cycle: string[]) => cycle.map((v: string) => describe(steps[Number(v)]!)).join(' → ')).join('; ');
    throw new PlanError(`the changes depend on each other in a cycle and cannot be ordered: ${described}`);
  }
  return ordered;
}

function describe(step: StepDraft): string {
  return `${step.action} ${step.objectKind} ${step.parent ? `${step.parent}.` : ''}${step.object}`;
}
