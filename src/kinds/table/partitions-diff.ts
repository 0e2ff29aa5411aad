/**
 * The diff of a table's partitioning. A new partitioned table: its `create_table` carries the key,
 * each partition follows as a `create_partition` (PARTITION OF, the parent being new). A table both
 * sides have: the keys must be the same (PostgreSQL cannot change a table's key, nor make a plain
 * table partitioned: a plan error says so), then the partitions are matched by name at each level:
 * a new one is `create_partition` (attached online), an undeclared live one `drop_partition`, one
 * whose bounds differ (PostgreSQL's normal forms compared, src/judge/partitions.ts) `rebound_partition`.
 */
import type { Change } from '../../diff/changes.js';
import type { TableScope } from '../../diff/context.js';
import { displayQualified } from '../../model/ident.js';
import type { Partition, QualifiedName, Table } from '../../model/types.js';
import { PlanError } from '../../plan/errors.js';
import { diffComment } from '../comment/diff.js';

/** A partition as its own create carries it: without its partitions and comment. */
function bare(p: Partition): Partition {
  const { partitions: _partitions, comment: _comment, ...rest } = p;
  return rest;
}

/** Texts alike but for spacing and the case of the strategy word: the fast path where the server did not judge. */
function loosely(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
    .replace(/^(range|list|hash|for values|default)/i, (w) => w.toUpperCase());
}

function same(
  scope: TableScope,
  kind: 'partition_by' | 'bound',
  name: string,
  desired: string | undefined,
  live: string | undefined,
): boolean {
  if (desired === undefined || live === undefined) return desired === live;
  if (desired === live) return true;
  const verdict = scope.judge?.verdict(kind, name, 0, live);
  if (verdict === 'same') return true;
  if (verdict === 'different') return false;
  return loosely(desired) === loosely(live);
}

/** Every partition of a new parent (and of its new partitions), created as PARTITION OF, then their comments. */
export function createdPartitions(parent: QualifiedName, list: readonly Partition[] | undefined): Change[] {
  const changes: Change[] = [];
  for (const p of list ?? []) {
    const name = { schema: parent.schema, name: p.name };
    changes.push({ kind: 'create_partition', parent, partition: bare(p), parentIsNew: true, parentHasDefault: false });
    changes.push(...createdPartitions(name, p.partitions));
    changes.push(...diffComment({ on: 'table', table: name }, p.comment, undefined));
  }
  return changes;
}

/** The partitions a new table declares (`TableKindDiff.created`'s part). */
export function newTablePartitions(table: Table): Change[] {
  return createdPartitions({ schema: table.schema, name: table.name }, table.partitions);
}

function keyError(what: string, desired: string | undefined, live: string | undefined): PlanError {
  const say = (t: string | undefined): string => (t === undefined ? 'not partitioned' : `PARTITION BY ${t}`);
  return new PlanError(
    `${what}: the file declares it ${say(desired)}, the database has it ${say(live)}; PostgreSQL cannot change the partitioning of an existing table (create a new table and move the rows)`,
  );
}

function diffLevel(
  scope: TableScope,
  parent: QualifiedName,
  parentKey: string | undefined,
  desired: readonly Partition[] | undefined,
  live: readonly Partition[] | undefined,
): Change[] {
  const changes: Change[] = [];
  const have = new Map((live ?? []).map((p) => [p.name, p]));
  const want = new Set((desired ?? []).map((p) => p.name));
  const hasDefault = (live ?? []).some((p) => p.bound === 'DEFAULT');
  for (const p of desired ?? []) {
    const name = { schema: parent.schema, name: p.name };
    const other = have.get(p.name);
    if (other === undefined) {
      // A hash partition's constraint names its parent's oid, a DEFAULT one its siblings: neither is given a check.
      const check =
        /^\s*hash/i.test(parentKey ?? '') || /^\s*default\s*$/i.test(p.bound) ? undefined : scope.judge?.form?.('partition_check', p.name);
      changes.push({
        kind: 'create_partition',
        parent,
        partition: bare(p),
        parentIsNew: false,
        ...(check !== undefined ? { check } : {}),
        parentHasDefault: hasDefault && !/^\s*default\s*$/i.test(p.bound),
      });
      changes.push(...createdPartitions(name, p.partitions));
      changes.push(...diffComment({ on: 'table', table: name }, p.comment, undefined));
      continue;
    }
    if (!same(scope, 'partition_by', p.name, p.partitionBy, other.partitionBy))
      throw keyError(`partition ${displayQualified(name)}`, p.partitionBy, other.partitionBy);
    if (!same(scope, 'bound', p.name, p.bound, other.bound))
      changes.push({ kind: 'rebound_partition', parent, from: bare(other), to: bare(p) });
    changes.push(...diffLevel(scope, name, p.partitionBy, p.partitions, other.partitions));
    changes.push(...diffComment({ on: 'table', table: name }, p.comment, other.comment));
  }
  for (const p of live ?? []) {
    if (want.has(p.name)) continue;
    changes.push({ kind: 'drop_partition', parent, partition: p, concurrently: !hasDefault });
  }
  return changes;
}

/** The partitioning changes of a table both sides have. */
export function diffPartitioning(scope: TableScope, desired: Table, live: Table): Change[] {
  if (!same(scope, 'partition_by', desired.name, desired.partitionBy, live.partitionBy))
    throw keyError(`table ${displayQualified(scope.table)}`, desired.partitionBy, live.partitionBy);
  return diffLevel(scope, scope.table, desired.partitionBy, desired.partitions, live.partitions);
}
