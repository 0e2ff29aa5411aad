/**
 * Steps for partitions. Under a parent the plan creates: CREATE TABLE ... PARTITION OF. Under a
 * live parent, online (CREATE TABLE ... PARTITION OF would hold an ACCESS EXCLUSIVE lock on the
 * parent): the partition is created apart, LIKE its parent, given a CHECK matching its bounds (so
 * that ATTACH need not scan it), attached (ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the
 * parent: readers and writers go on), and the check dropped. A partition dropped: DETACH
 * PARTITION CONCURRENTLY (outside a transaction; plain DETACH, under a lock, when the parent has a
 * DEFAULT partition, which forbids CONCURRENTLY), then DROP TABLE.
 */
import type { ChangeOf } from '../../diff/changes.js';
import { quoteIdent, qualify } from '../../model/ident.js';
import type { Partition, QualifiedName } from '../../model/types.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key } from '../../plan/references.js';
import { describeSize } from '../../plan/hazards.js';
import { nameKey } from '../../model/object-ref.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { allPartitions, partitionText } from './partitions.js';

const BOUND_CHECK = 'pgreconcile_partition_bound';

function partitionBy(p: Partition): string {
  return p.partitionBy !== undefined ? ` PARTITION BY ${partitionText(p.partitionBy)}` : '';
}

function under(parent: QualifiedName, name: string): QualifiedName {
  return { schema: parent.schema, name };
}

export function createPartitionSteps(change: ChangeOf<'create_partition'>, ctx: PlanContext): StepDraft[] {
  const { parent, partition: p } = change;
  const table = under(parent, p.name);
  const base = {
    action: 'create' as const,
    objectKind: 'table' as const,
    object: ctx.display(table),
    change: change.kind,
  };
  if (change.parentIsNew) {
    return [
      draft({
        ...base,
        sql: `CREATE TABLE ${qualify(table)} PARTITION OF ${qualify(parent)} ${partitionText(p.bound)}${partitionBy(p)}`,
        detail: `partition of ${ctx.display(parent)}`,
        creates: [key.table(table), key.partitionAttached(table)],
        requires: [key.table(parent)],
      }),
    ];
  }
  const steps: StepDraft[] = [
    draft({
      ...base,
      sql: `CREATE TABLE ${qualify(table)} (LIKE ${qualify(parent)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)${partitionBy(p)}`,
      detail: `created apart, to be attached to ${ctx.display(parent)}`,
      creates: [key.table(table)],
      requires: [key.table(parent)],
    }),
  ];
  if (change.check !== undefined) {
    steps.push(
      draft({
        ...base,
        action: 'alter',
        sql: `ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteIdent(BOUND_CHECK)} CHECK (${partitionText(change.check)})`,
        detail: 'a check matching its bounds, so that ATTACH does not scan it',
        requires: [key.table(table)],
      }),
    );
  }
  steps.push(
    draft({
      ...base,
      action: 'alter',
      sql: `ALTER TABLE ${qualify(parent)} ATTACH PARTITION ${qualify(table)} ${partitionText(p.bound)}`,
      detail: `attached to ${ctx.display(parent)} (SHARE UPDATE EXCLUSIVE on the parent)`,
      hazards: change.parentHasDefault
        ? [
            {
              kind: 'access_exclusive_lock',
              message: `${ctx.display(parent)} has a DEFAULT partition: ATTACH scans it for rows of the new bounds under an ACCESS EXCLUSIVE lock on it`,
            },
          ]
        : [],
      creates: [key.partitionAttached(table)],
      requires: [key.table(table), key.table(parent)],
    }),
  );
  if (change.check !== undefined) {
    steps.push(
      draft({
        ...base,
        action: 'alter',
        sql: `ALTER TABLE ${qualify(table)} DROP CONSTRAINT ${quoteIdent(BOUND_CHECK)}`,
        detail: 'the check that spared the scan, no longer needed',
        requires: [key.table(table)],
      }),
    );
  }
  return steps;
}

export function dropPartitionSteps(change: ChangeOf<'drop_partition'>, ctx: PlanContext): StepDraft[] {
  const { parent, partition: p } = change;
  const table = under(parent, p.name);
  const below = allPartitions({ name: p.name, partitions: p.partitions }).map((x) => key.table(under(parent, x.partition.name)));
  const base = { objectKind: 'table' as const, object: ctx.display(table), change: change.kind };
  return [
    draft({
      ...base,
      action: 'alter',
      sql: `ALTER TABLE ${qualify(parent)} DETACH PARTITION ${qualify(table)}${change.concurrently ? ' CONCURRENTLY' : ''}`,
      detail: `detached from ${ctx.display(parent)}`,
      hazards: change.concurrently
        ? [
            {
              kind: 'non_transactional',
              message: `DETACH PARTITION CONCURRENTLY runs outside a transaction: if it is interrupted, ${ctx.display(table)} is left detached-pending (finish it with ALTER TABLE ... DETACH PARTITION ... FINALIZE)`,
            },
          ]
        : [
            {
              kind: 'access_exclusive_lock',
              message: `${ctx.display(parent)} has a DEFAULT partition, so the detach cannot be CONCURRENTLY: reads and writes of ${ctx.display(parent)} wait while it runs`,
            },
          ],
      transactional: !change.concurrently,
      long: change.concurrently,
      liveRequires: [key.table(parent)],
    }),
    draft({
      ...base,
      action: 'drop',
      sql: `DROP TABLE ${qualify(table)}`,
      hazards: [
        {
          kind: 'deletes_data',
          message: `drops partition ${ctx.display(table)} and all its rows (${describeSize(ctx.stats.get(nameKey(table.schema, table.name)))})`,
        },
      ],
      deletes: { kind: 'table', schema: table.schema, table: table.name },
      drops: [key.table(table), ...below],
      liveRequires: [key.table(parent)],
    }),
  ];
}

export function reboundPartitionSteps(change: ChangeOf<'rebound_partition'>, ctx: PlanContext): StepDraft[] {
  const { parent, to } = change;
  const table = under(parent, to.name);
  const base = { action: 'alter' as const, objectKind: 'table' as const, object: ctx.display(table), change: change.kind };
  return [
    draft({
      ...base,
      sql: `ALTER TABLE ${qualify(parent)} DETACH PARTITION ${qualify(table)}`,
      detail: `detached to be attached again with new bounds (was ${change.from.bound})`,
      hazards: [
        { kind: 'access_exclusive_lock', message: `DETACH PARTITION locks ${ctx.display(parent)}: reads and writes wait while it runs` },
      ],
      requires: [key.table(parent), key.table(table)],
    }),
    draft({
      ...base,
      sql: `ALTER TABLE ${qualify(parent)} ATTACH PARTITION ${qualify(table)} ${partitionText(to.bound)}`,
      detail: `attached again with new bounds`,
      hazards: [{ kind: 'validates_constraint', message: `the rows of ${ctx.display(table)} are scanned against the new bounds` }],
      requires: [key.table(parent), key.table(table)],
    }),
  ];
}
