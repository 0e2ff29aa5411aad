/**
 * The library's application layer (src/api), used from TypeScript as a library user would,
 * without the CLI: plan, apply under the deployment lock with the ledger, the next plan empty,
 * drift; a reviewed plan file applied; refusals returned as data; rollback and resume.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  apply,
  applyPlan,
  deploymentLockHolders,
  drift,
  listDriftChecks,
  listVersions,
  loadDesiredState,
  plan,
  planDesiredState,
  readPlanFile,
  resume,
  rollback,
  type FlowEvent,
} from '../src/index.js';
import { useTestDatabase } from './support/harness.js';

const V1 = `version: 1
schemas:
  public:
    tables:
      accounts:
        columns:
          id: { type: bigint, nullable: false }
          email: { type: text, nullable: false }
          note: { type: text }
        primary_key: [id]
`;

/** V1 without the column `note`: a step that deletes data. */
const V2 = V1.replace('          note: { type: text }\n', '');

describe('the library API (src/api) against a real database', () => {
  const database = useTestDatabase();
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgr-api-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function schemaFile(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('plans, applies under the lock with the ledger, re-plans empty, and reports drift', async () => {
    const { db } = database();
    const planned = await plan({ db, schema: await schemaFile('schema.yaml', V1) });
    expect(planned.plan.steps.map((s) => `${s.action} ${s.objectKind} ${s.object}`)).toEqual(['create table accounts']);
    expect(planned.doc).toBeUndefined();

    const events: FlowEvent['kind'][] = [];
    const result = await apply({ db, desired: planned.desired, approve: true, cwd: dir, onEvent: (e) => events.push(e.kind) });
    expect(result.kind).toBe('ran');
    if (result.kind !== 'ran') return;
    expect(result.outcome.kind).toBe('applied');
    if (result.outcome.kind !== 'applied') return;
    expect(result.outcome.remaining.steps).toEqual([]);
    expect(events).toEqual(['lock_taken', 'planned', 'started', 'step_start', 'committed', 'verifying']);
    // The plan approved is kept as a file (what resume takes), and the ledger records the version.
    expect(result.planFile).toBe(join(dir, '.pgreconcile', 'plans', `${result.doc.id}.plan.yaml`));
    expect(existsSync(result.planFile!)).toBe(true);
    const versions = await listVersions(db);
    expect(versions.map((v) => [v.version, v.kind, v.status])).toEqual([[result.doc.id, 'apply', 'applied']]);
    // The lock is released.
    expect(await deploymentLockHolders(db)).toEqual([]);

    const again = await plan({ db, desired: planned.desired });
    expect(again.plan.steps).toEqual([]);
    expect((await apply({ db, desired: planned.desired, approve: true, cwd: dir })).kind).toBe('nothing_to_do');

    expect((await drift({ db, desired: planned.desired })).state).toBe('in_sync');
    await db.exec('ALTER TABLE public.accounts ADD COLUMN added_by_hand int');
    const drifted = await drift({ db, desired: planned.desired, record: true });
    // Drifted: the live schema differs from the version the ledger recorded; nothing pending,
    // since the desired state is that version's.
    expect(drifted.state).toBe('drifted');
    expect(drifted.drifted.map((d) => d.object)).toContain('public.accounts.added_by_hand');
    expect((await listDriftChecks(db)).map((c) => c.state)).toEqual(['drifted']);
  });

  it('returns refusals as data: hazards not allowed, nobody to ask, a no; then applies what was allowed and approved', async () => {
    const { db } = database();
    const v1 = await loadDesiredState(await schemaFile('v1.yaml', V1));
    const first = await apply({ db, desired: v1, approve: true, cwd: dir });
    expect(first.kind === 'ran' && first.outcome.kind).toBe('applied');
    await db.exec(`INSERT INTO public.accounts VALUES (1, 'a@example.com', 'kept in the backup')`);
    const v2 = await loadDesiredState(await schemaFile('v2.yaml', V2));

    const hazards = await apply({ db, desired: v2, approve: true, cwd: dir });
    expect(hazards.kind === 'refused' && hazards.reason).toBe('hazards');
    if (hazards.kind === 'refused' && hazards.reason === 'hazards') expect(hazards.missing.map((m) => m.kind)).toEqual(['deletes_data']);

    const nobody = await apply({ db, desired: v2, allowHazards: ['deletes_data'], cwd: dir });
    expect(nobody).toMatchObject({ kind: 'refused', reason: 'no_approval', asked: false });
    const asked: string[] = [];
    const no = await apply({
      db,
      desired: v2,
      allowHazards: ['deletes_data'],
      cwd: dir,
      confirm: async (request) => (asked.push(`${request.doc.plan.steps.length} ${request.hazards.join(',')}`), false),
    });
    expect(no).toMatchObject({ kind: 'refused', reason: 'no_approval', asked: true });
    expect(asked).toEqual(['1 deletes_data']);
    // Nothing ran: the column is still there, and the ledger holds the first version only.
    expect((await plan({ db, desired: v2 })).plan.steps).toHaveLength(1);
    expect(await listVersions(db)).toHaveLength(1);

    const yes = await apply({ db, desired: v2, allowHazards: ['deletes_data'], cwd: dir, confirm: async () => true });
    expect(yes.kind === 'ran' && yes.outcome.kind).toBe('applied');
    expect((await plan({ db, desired: v2 })).plan.steps).toEqual([]);

    // Rollback: back to v1's recorded state, through the same flow, recorded as a new version.
    const back = await rollback({ db, approve: true, allowHazards: 'all', cwd: dir });
    expect(back.target.version).toBe(first.doc.id);
    expect(back.kind === 'ran' && back.outcome.kind).toBe('applied');
    expect((await plan({ db, desired: v1 })).plan.steps).toEqual([]);
    expect((await listVersions(db))[0]).toMatchObject({ kind: 'rollback', rollbackTo: first.doc.id, status: 'applied' });

    // Nothing failed, so there is nothing to resume.
    const nothing = await resume({ db, doc: await readPlanFile(back.kind === 'ran' ? back.planFile! : '') });
    expect(nothing.kind).toBe('refused');
  });

  it('writes a plan file and applies it as reviewed; a second apply of it is refused', async () => {
    const { db } = database();
    const written = await plan({ db, schema: await schemaFile('schema.yaml', V1), out: join(dir, 'plans', '/') });
    expect(written.planFile).toMatch(/plans\/\d{8}T\d{6}Z_[a-z0-9-]+\.plan\.yaml$/);
    const doc = await readPlanFile(written.planFile!);
    const desired = planDesiredState(doc)!;
    const result = await applyPlan({ db, doc, desired });
    expect(result.kind === 'ran' && result.outcome.kind).toBe('applied');
    expect((await plan({ db, desired })).plan.steps).toEqual([]);
    const twice = await applyPlan({ db, doc, desired });
    expect(twice.kind === 'ran' && twice.outcome.kind === 'refused' && twice.outcome.reason).toBe('already_applied');
  });
});
