/**
 * The hazard gate (docs/architecture.md rule 3): apply runs a plan only when every hazard kind in it was
 * explicitly allowed, by `--allow-hazards` or by an approval recorded in the plan file.
 * Pure functions.
 */
import type { Plan } from '../plan/build-plan.js';
import { HAZARD_KINDS, isHazardKind, type HazardKind } from '../plan/hazards.js';
import type { PlanApproval } from '../plan/plan-file.js';

/** What was allowed: a list of kinds, or every kind. */
export type AllowedHazards = 'all' | readonly HazardKind[];

/** A hazard kind the plan carries but nobody allowed, with the steps that carry it. */
export interface MissingHazard {
  readonly kind: HazardKind;
  readonly steps: readonly number[];
  /** The first step's message, to show why. */
  readonly example: string;
}

export type HazardGateResult =
  | { readonly kind: 'allowed'; readonly allowed: readonly HazardKind[] }
  | { readonly kind: 'refused'; readonly missing: readonly MissingHazard[]; readonly allowed: readonly HazardKind[] };

/** An `--allow-hazards` value that names no known hazard kind. */
export class HazardListError extends Error {
  override readonly name = 'HazardListError';
}

/**
 * Parses an `--allow-hazards` value: `all`, or kinds separated by commas.
 *
 * @example
 * parseAllowedHazards('deletes_data, index_build')  // ['deletes_data', 'index_build']
 * parseAllowedHazards('all')                        // 'all'
 */
export function parseAllowedHazards(text: string): AllowedHazards {
  const words = text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 1 && words[0]!.toLowerCase() === 'all') return 'all';
  const kinds: HazardKind[] = [];
  for (const word of words) {
    if (!isHazardKind(word)) {
      throw new HazardListError(`unknown hazard kind "${word}" in --allow-hazards; the kinds are: ${HAZARD_KINDS.join(', ')} (or all)`);
    }
    if (!kinds.includes(word)) kinds.push(word);
  }
  return kinds;
}

/** The kinds an allowance and an approval permit together, in HAZARD_KINDS order. */
export function allowedKinds(allow: AllowedHazards | undefined, approval?: PlanApproval): HazardKind[] {
  if (allow === 'all') return [...HAZARD_KINDS];
  const set = new Set<HazardKind>([...(allow ?? []), ...(approval?.allowed_hazards ?? [])]);
  return HAZARD_KINDS.filter((k) => set.has(k));
}

/**
 * Checks every hazard of the plan against what was allowed.
 *
 * @example
 * const gate = checkHazards(plan, parseAllowedHazards('deletes_data'), doc.approval);
 * if (gate.kind === 'refused') console.error(describeMissingHazards(gate.missing));
 */
export function checkHazards(plan: Plan, allow: AllowedHazards | undefined, approval?: PlanApproval): HazardGateResult {
  const allowed = allowedKinds(allow, approval);
  const missing = new Map<HazardKind, { steps: number[]; example: string }>();
  for (const step of plan.steps) {
    for (const hazard of step.hazards) {
      if (allowed.includes(hazard.kind)) continue;
      const entry = missing.get(hazard.kind) ?? { steps: [], example: `step ${step.n}: ${hazard.message}` };
      if (!entry.steps.includes(step.n)) entry.steps.push(step.n);
      missing.set(hazard.kind, entry);
    }
  }
  if (missing.size === 0) return { kind: 'allowed', allowed };
  return {
    kind: 'refused',
    allowed,
    missing: HAZARD_KINDS.filter((k) => missing.has(k)).map((kind) => ({ kind, ...missing.get(kind)! })),
  };
}

/**
 * The refusal in words: each missing kind with its steps, and how to allow them.
 *
 * @example
 * describeMissingHazards(gate.missing, 'plans/x.plan.yaml')
 * // 'hazards not allowed:\n  deletes_data: step 3 (step 3: column users.legacy is dropped …)\nAllow them with …'
 */
export function describeMissingHazards(missing: readonly MissingHazard[], planFile?: string): string {
  const lines = ['the plan carries hazards that were not allowed:'];
  for (const m of missing) {
    lines.push(`  ${m.kind}: ${m.steps.length === 1 ? 'step' : 'steps'} ${m.steps.join(', ')} (${m.example})`);
  }
  const kinds = missing.map((m) => m.kind).join(',');
  lines.push(
    planFile !== undefined
      ? `Review them, then allow them with --allow-hazards ${kinds}, or record the approval in the file: pgreconcile approve ${planFile} --allow-hazards ${kinds}`
      : `Review them, then allow them with --allow-hazards ${kinds}`,
  );
  return lines.join('\n');
}
