/**
 * `status` and `drift` name and count what is not applied the same way (issue 13, item 9):
 * status says "Changes to apply" (the file against the live database) and drift "Pending" (the
 * file against the state the last apply recorded); both count objects, not steps. Two type
 * changes on one table are one step (one ALTER TABLE, one rewrite) and two objects in both.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/harness.js';
import { runCli, useWorkFolder, writeSchema } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

const EVENTS = (type: string) => `events:
  columns:
    id: { type: integer, nullable: false }
    started: { type: ${type} }
    finished: { type: ${type} }
  primary_key: [id]
`;

describe('status and drift', () => {
  it('count the same objects: two columns, in one step', async () => {
    const { url } = database();
    await writeSchema(work.dir, EVENTS('timestamp'));
    expect((await runCli(['apply', '--approve', '-d', url], work.dir)).code).toBe(0);
    await writeSchema(work.dir, EVENTS('timestamptz'));

    const status = await runCli(['status', '-d', url], work.dir);
    expect(status.code).toBe(2);
    expect(status.stdout).toContain(
      'Changes to apply: 2 to alter (1 step) to make the database match schema.yaml; pgreconcile plan shows them',
    );
    expect(status.stdout).not.toContain('Pending');

    const drift = await runCli(['drift', '-d', url], work.dir);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain('Pending (2), last applied → schema file:');
    expect(drift.stdout).toContain('column public.events.finished: type changed: {"type":"timestamp"} → {"type":"timestamptz"}');

    const json = JSON.parse((await runCli(['status', '--json', '-d', url], work.dir)).stdout) as {
      pending: { objects: number; steps: number };
    };
    expect(json.pending).toMatchObject({ objects: 2, steps: 1 });
  });
});
