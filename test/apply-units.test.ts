/**
 * The pure parts of apply, without a database: the hazard gate, `--allow-hazards` parsing,
 * retry backoff, the progress line of long steps, per-object fingerprints and what a stale
 * plan says, and the plan file's new content (object fingerprints, desired state) under its
 * checksum.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStale } from '../src/apply/apply-plan.js';
import { retryDelay } from '../src/apply/execute.js';
import { checkHazards, describeMissingHazards, HazardListError, parseAllowedHazards } from '../src/apply/hazard-gate.js';
import { StepProgress } from '../src/cli/commands/apply.js';
import { diffObjectFingerprints, objectFingerprints } from '../src/model/fingerprint.js';
import { emptyModel, type DesiredState, type SchemaModel } from '../src/model/types.js';
import type { Plan, PlanStep } from '../src/plan/build-plan.js';
import {
  decodeDesiredState,
  encodeDesiredState,
  newPlanDocument,
  planDesiredState,
  readPlanFile,
  writePlanFile,
} from '../src/plan/plan-file.js';

function step(n: number, hazards: PlanStep['hazards'], extra: Partial<PlanStep> = {}): PlanStep {
  return {
    n,
    action: 'drop',
    objectKind: 'column',
    object: `c${n}`,
    parent: 'users',
    change: 'drop_column',
    sql: `ALTER TABLE "public"."users" DROP COLUMN "c${n}"`,
    hazards,
    creates: [],
    drops: [],
    requires: [],
    effect: { kind: 'ddl' },
    transactional: true,
    group: 1,
    lockTimeoutMs: 5000,
    statementTimeoutMs: 60000,
    ...extra,
  };
}

const plan: Plan = {
  formatVersion: 1,
  desiredHash: 'd'.repeat(64),
  liveFingerprint: 'f'.repeat(64),
  steps: [
    step(1, [{ kind: 'deletes_data', message: 'drops column users.c1 and its values' }]),
    step(2, []),
    step(3, [
      { kind: 'deletes_data', message: 'drops column users.c3 and its values' },
      { kind: 'index_dropped', message: 'index i3 is dropped' },
    ]),
  ],
};

describe('the hazard gate', () => {
  it('parses --allow-hazards lists and all, and rejects unknown kinds', () => {
    expect(parseAllowedHazards('deletes_data, index_build,deletes_data')).toEqual(['deletes_data', 'index_build']);
    expect(parseAllowedHazards('all')).toBe('all');
    expect(parseAllowedHazards('ALL')).toBe('all');
    expect(() => parseAllowedHazards('deletes_data,drop_everything')).toThrow(HazardListError);
    expect(() => parseAllowedHazards('drop_everything')).toThrow(/unknown hazard kind "drop_everything".*deletes_data, table_rewrite/);
  });

  it('refuses naming the steps of every kind not allowed; flags and approvals add up', () => {
    const none = checkHazards(plan, undefined);
    expect(none).toEqual({
      kind: 'refused',
      allowed: [],
      missing: [
        { kind: 'deletes_data', steps: [1, 3], example: 'step 1: drops column users.c1 and its values' },
        { kind: 'index_dropped', steps: [3], example: 'step 3: index i3 is dropped' },
      ],
    });
    const partial = checkHazards(plan, ['deletes_data']);
    expect(partial.kind === 'refused' && partial.missing.map((m) => m.kind)).toEqual(['index_dropped']);
    const approval = { by: 'alice', at: '2026-11-21T20:00:00Z', allowed_hazards: ['index_dropped' as const] };
    expect(checkHazards(plan, ['deletes_data'], approval)).toEqual({ kind: 'allowed', allowed: ['deletes_data', 'index_dropped'] });
    expect(checkHazards(plan, 'all').kind).toBe('allowed');
    expect(checkHazards({ ...plan, steps: [step(1, [])] }, undefined).kind).toBe('allowed');
  });

  it('says how to allow what is missing', () => {
    const gate = checkHazards(plan, undefined);
    if (gate.kind !== 'refused') throw new Error('expected a refusal');
    expect(describeMissingHazards(gate.missing, 'plans/p.plan.yaml')).toBe(
      [
        'the plan carries hazards that were not allowed:',
        '  deletes_data: steps 1, 3 (step 1: drops column users.c1 and its values)',
        '  index_dropped: step 3 (step 3: index i3 is dropped)',
        'Review them, then allow them with --allow-hazards deletes_data,index_dropped, or record the approval in the file: pgreconcile approve plans/p.plan.yaml --allow-hazards deletes_data,index_dropped',
      ].join('\n'),
    );
  });
});

describe('retries and progress', () => {
  it('backs off exponentially from the base, with jitter, capped at 10 s', () => {
    for (let i = 0; i < 50; i++) {
      expect(retryDelay(1, 500)).toBeGreaterThanOrEqual(400);
      expect(retryDelay(1, 500)).toBeLessThanOrEqual(600);
      expect(retryDelay(3, 500)).toBeGreaterThanOrEqual(1600);
      expect(retryDelay(3, 500)).toBeLessThanOrEqual(2400);
      expect(retryDelay(20, 500)).toBeLessThanOrEqual(12_000);
    }
  });

  it('shows step n/N and the elapsed time for a long step on a terminal, and clears the line when it ends', async () => {
    let out = '';
    const progress = new StepProgress((t) => (out += t), true, 20, 20);
    progress.start(step(2, [], { action: 'create', objectKind: 'index', object: 'users_email_idx' }), 5);
    await new Promise((resolve) => setTimeout(resolve, 80));
    progress.stop();
    expect(out).toContain('… step 2/5 create index users.users_email_idx: running 0s');
    expect(out.match(/running/g)!.length).toBeGreaterThanOrEqual(2);
    expect(out.endsWith('\r\u001b[2K')).toBe(true);

    let quiet = '';
    const fast = new StepProgress((t) => (quiet += t), true, 1000);
    fast.start(step(1, []), 5);
    fast.stop();
    const off = new StepProgress((t) => (quiet += t), false, 0);
    off.start(step(1, []), 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    off.stop();
    expect(quiet).toBe('');
  });
});

const model = (tables: SchemaModel['tables']): SchemaModel => ({ ...emptyModel(), tables });
const table = (name: string, columns: string[]) => ({
  schema: 'public',
  name,
  columns: columns.map((c) => ({ name: c, type: 'integer', nullable: true })),
  uniques: [],
  checks: [],
  foreignKeys: [],
  indexes: [],
  triggers: [],
});

describe('per-object fingerprints and stale plans', () => {
  it('keys objects by kind and name and tells which changed, appeared and disappeared', () => {
    const before = objectFingerprints({
      ...model([table('users', ['id']), table('old', ['x'])]),
      enums: [{ schema: 'public', name: 'mood', values: ['ok'] }],
      extensions: [{ name: 'pgcrypto' }],
    });
    expect(Object.keys(before)).toEqual(['enum public.mood', 'extension pgcrypto', 'table public.old', 'table public.users']);
    expect(before['table public.users']).toMatch(/^[0-9a-f]{16}$/);
    const after = objectFingerprints({
      ...model([table('users', ['id', 'email']), table('stray', ['y'])]),
      enums: [{ schema: 'public', name: 'mood', values: ['ok'] }],
      extensions: [{ name: 'pgcrypto' }],
    });
    const diff = diffObjectFingerprints(before, after);
    expect(diff).toEqual({ added: ['table public.stray'], removed: ['table public.old'], changed: ['table public.users'] });
    expect(describeStale(diff)).toBe(
      'the live schema changed since the plan was made: table public.users changed, table public.stray added, table public.old removed',
    );
    expect(describeStale(undefined)).toContain('does not record which objects');
  });
});

describe('the plan file carries object fingerprints and the desired state under its checksum', () => {
  it('round-trips them, and an edit to either is refused', async () => {
    const desired: DesiredState = {
      model: model([table('users', ['id'])]),
      ignore: ['tmp_*'],
      external: [],
      source: { path: 'schema.yaml', hash: 'd'.repeat(64) },
    };
    expect(decodeDesiredState(encodeDesiredState(desired))).toEqual(desired);
    const dir = await mkdtemp(join(tmpdir(), 'pgr-planfile-'));
    try {
      const fingerprints = objectFingerprints(model([table('users', ['id'])]));
      const doc = newPlanDocument(plan, 'postgres://app:***@db/app', new Date('2026-11-21T20:15:00Z'), {
        objectFingerprints: fingerprints,
        desired,
      });
      const path = await writePlanFile(doc, join(dir, 'p.plan.yaml'));
      const read = await readPlanFile(path);
      expect(read.objectFingerprints).toEqual(fingerprints);
      expect(planDesiredState(read)).toEqual(desired);
      expect(read.checksum).toBe(doc.checksum);

      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace(fingerprints['table public.users']!, 'abcdefabcdefabcd'));
      await expect(readPlanFile(path)).rejects.toThrow(/checksum mismatch/);
      await writeFile(
        path,
        text.replace(/desired_state: (\S+)/, (_m, v: string) => `desired_state: ${v.slice(0, -4)}AAAA`),
      );
      await expect(readPlanFile(path)).rejects.toThrow(/checksum mismatch/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('--help documents every flag and exit code', () => {
  it('apply, approve, history, status, baseline', async () => {
    const { commandHelp } = await import('../src/cli/args.js');
    const specs = await import('../src/cli/specs.js');
    const apply = commandHelp(specs.applySpec);
    for (const flag of [
      '[PLANFILE]',
      '--schema FILE',
      '--database-url URL',
      '--approve',
      '--allow-hazards LIST|all',
      '--lock-wait SECONDS',
      '--lock-timeout MS',
      '--statement-timeout MS',
      '--retries N',
      '--json',
    ]) {
      expect(apply).toContain(flag);
    }
    expect(apply).toMatch(
      /Exit codes:\n {2}0 {3}applied.*\n {2}1 {3}error.*\n {2}3 {3}refused before anything ran: hazards not allowed, stale plan, plan already applied, plan file changed after it was written, no approval/,
    );
    expect(commandHelp(specs.approveSpec)).toContain('--by NAME');
    expect(commandHelp(specs.historySpec)).toContain('--json');
    expect(commandHelp(specs.statusSpec)).toMatch(
      /Exit codes:\n {2}0 {3}up to date.*\n {2}2 {3}pending.*\n {2}3 {3}the last apply failed.*\n {2}4 {3}no ledger yet.*\n {2}1 {3}error/,
    );
    expect(commandHelp(specs.baselineSpec)).toContain('--force');
  });
});
