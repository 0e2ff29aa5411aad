/**
 * Steps for columns: add, drop, rename, alter.
 * On existing tables the online forms are used (docs/architecture.md rule 4): SET NOT NULL goes through a
 * validated CHECK, a type change warns of a rewrite unless it is binary-coercible.
 */
import type { ChangeOf } from '../../diff/changes.js';
import { expressionSql } from '../../model/sql-names.js';
import { displayIdent, quoteIdent, qualify } from '../../model/ident.js';
import { isBinaryCoercible, parseTypeName } from '../../model/type-names.js';
import { clipBytes, MAX_IDENTIFIER_BYTES } from '../../model/default-names.js';
import type { Column, QualifiedName } from '../../model/types.js';
import { dependentsHazards, describeSize, existingRowsHazard, nullsHazard, rowsText, type Hazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { columnRequires, key, sequencesIn } from '../../plan/references.js';
import { columnDefinition, columnOptionClauses, identitySql, literal, statisticsSql, storageSql } from '../../plan/sql-text.js';
import { clampBound, rangeClampHazard, rangeClampSql } from '../../plan/range-clamp.js';
import { sequenceSettings, type SequenceSettings } from '../../desired/sequence-defaults.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { columnKey } from '../../model/object-ref.js';
import { dataKey } from '../../data-changes/keys.js';

const VOLATILE_BUILTINS =
  /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|nextval|gen_random_bytes|txid_current|pg_current_xact_id)\s*\(/i;

function rewriteHazards(table: string, why: string, size: string): Hazard[] {
  return [
    { kind: 'table_rewrite', message: `${why}: table ${table} is rewritten (${size})` },
    { kind: 'access_exclusive_lock', message: `table ${table} is locked against reads and writes while it is rewritten (${size})` },
  ];
}

function volatileDefault(column: Column, ctx: PlanContext): boolean {
  if (column.default === undefined) return false;
  if (VOLATILE_BUILTINS.test(column.default)) return true;
  return ctx.refs
    .functionsIn(column.default)
    .some((f) => ctx.desired.functions.some((d) => d.schema === f.schema && d.name === f.name && d.volatility === 'volatile'));
}

export function addColumnSteps(change: ChangeOf<'add_column'>, ctx: PlanContext): StepDraft[] {
  const { table, column } = change;
  const display = displayIdent(column.name);
  const size = describeSize(ctx.tableStats(table));
  const hazards: Hazard[] = [];
  if (column.generated !== undefined) hazards.push(...rewriteHazards(ctx.display(table), 'a stored generated column is added', size));
  else if (column.identity !== undefined)
    hazards.push(...rewriteHazards(ctx.display(table), 'an identity column is added (every row gets a value)', size));
  else if (volatileDefault(column, ctx))
    hazards.push(...rewriteHazards(ctx.display(table), `a column with the volatile default ${column.default} is added`, size));
  const rewrites = hazards.length > 0;
  // Every existing row would get NULL in a NOT NULL column: on a table with rows the step fails.
  const fillsItself = column.default !== undefined || column.identity !== undefined || column.generated !== undefined;
  // A data change fills it (`before: { not_null: … }`): added nullable, filled, then NOT NULL the online way.
  if (!column.nullable && !fillsItself && ctx.fills.has(columnKey(table, column.name)))
    return addColumnFilledSteps(change, ctx, hazards, rewrites);
  if (!column.nullable && !fillsItself && ctx.tableHasRows(table)) {
    hazards.push(
      existingRowsHazard(
        `column ${display} is added NOT NULL without a default to ${ctx.display(table)}, which holds ${rowsText(ctx.tableStats(table))}: the step fails (column "${column.name}" contains null values); declare a default, or add the column nullable, fill it, then declare nullable: false`,
      ),
    );
  }
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} ${[`ADD COLUMN ${columnDefinition(column)}`, ...columnOptionClauses(column)].join(', ')}`,
      hazards,
      long: rewrites,
      action: 'create',
      objectKind: 'column' as const,
      object: display,
      parent: ctx.display(table),
      detail: column.type,
      change: change.kind,
      creates: [key.column(table, column.name)],
      // After the column declared before it, so added columns keep the file's order.
      requires: [key.table(table), ...previousColumn(table, column.name, ctx), ...columnRequires(table, column, ctx.refs)],
    }),
  ];
}

/**
 * A NOT NULL column without a default that a data change fills: ADD COLUMN (nullable), the data
 * change (which requires the column and creates its `column_filled` key), then NOT NULL through a
 * validated check, whose steps require that key.
 */
function addColumnFilledSteps(change: ChangeOf<'add_column'>, ctx: PlanContext, hazards: Hazard[], rewrites: boolean): StepDraft[] {
  const { table, column } = change;
  const t = qualify(table);
  const tableName = ctx.display(table);
  const size = describeSize(ctx.tableStats(table));
  const nullable = { ...column, nullable: true };
  const add = draft({
    sql: `ALTER TABLE ${t} ${[`ADD COLUMN ${columnDefinition(nullable)}`, ...columnOptionClauses(nullable)].join(', ')}`,
    hazards,
    long: rewrites,
    action: 'create',
    objectKind: 'column' as const,
    object: displayIdent(column.name),
    parent: tableName,
    detail: `${column.type}, added nullable: a data change fills it before NOT NULL`,
    change: change.kind,
    creates: [key.column(table, column.name)],
    requires: [key.table(table), ...previousColumn(table, column.name, ctx), ...columnRequires(table, column, ctx.refs)],
  });
  const common = {
    action: 'create' as const,
    objectKind: 'column' as const,
    object: displayIdent(column.name),
    parent: tableName,
    change: change.kind,
    requires: [key.table(table), key.column(table, column.name), dataKey.columnFilled(table, column.name)],
  };
  return [add, ...notNullThroughCheck(table, column.name, tableName, size, common, [])];
}

/**
 * SET NOT NULL without scanning the table under an ACCESS EXCLUSIVE lock: a CHECK (col IS NOT
 * NULL) added NOT VALID, validated (no exclusive lock), SET NOT NULL (proved by the check), the
 * check dropped. `common` holds what the four steps share; `nulls` the hazards of NULLs found.
 */
function notNullThroughCheck(
  table: QualifiedName,
  column: string,
  tableName: string,
  size: string,
  common: Omit<Parameters<typeof draft>[0], 'sql'>,
  nulls: readonly Hazard[],
): StepDraft[] {
  const t = qualify(table);
  const col = quoteIdent(column);
  const check = quoteIdent(notNullCheckName(table.name, column));
  const tmpKey = key.constraint(table, `nn:${column}`);
  return [
    draft({
      ...common,
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID`,
      detail: 'NOT NULL, step 1/4: add a NOT VALID check',
      creates: [tmpKey],
    }),
    draft({
      ...common,
      sql: `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check}`,
      detail: 'NOT NULL, step 2/4: validate the check',
      hazards: [
        { kind: 'validates_constraint', message: `every row of ${tableName} is scanned to prove ${column} has no NULLs (${size})` },
        ...nulls,
      ],
      long: true,
    }),
    draft({
      ...common,
      sql: `ALTER TABLE ${t} ALTER COLUMN ${col} SET NOT NULL`,
      detail: 'NOT NULL, step 3/4: set NOT NULL (proved by the check)',
    }),
    draft({
      ...common,
      sql: `ALTER TABLE ${t} DROP CONSTRAINT ${check}`,
      detail: 'NOT NULL, step 4/4: drop the check',
      drops: [tmpKey],
    }),
  ];
}

function previousColumn(table: QualifiedName, column: string, ctx: PlanContext): string[] {
  const columns = ctx.desiredTable(table)?.columns ?? [];
  const i = columns.findIndex((c) => c.name === column);
  const previous = i > 0 ? columns[i - 1] : undefined;
  return previous ? [key.column(table, previous.name)] : [];
}

export function dropColumnSteps(change: ChangeOf<'drop_column'>, ctx: PlanContext): StepDraft[] {
  const { table, column } = change;
  const live = ctx.liveTable(table) ?? table;
  const size = describeSize(ctx.tableStats(table));
  // PostgreSQL drops the constraints the format cannot declare with a column they use: said, never silent.
  const unmanaged = (ctx.dataFacts.unmanagedConstraints ?? []).filter(
    (u) => u.schema === live.schema && u.table === live.name && u.columns.includes(column.name),
  );
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} DROP COLUMN ${quoteIdent(column.name)}`,
      hazards: [
        { kind: 'deletes_data', message: `drops column ${ctx.display(table)}.${column.name} and its values (${size})` },
        ...unmanaged.map((u): Hazard => ({
          kind: 'has_untrackable_dependencies',
          message: `${u.kind} ${displayIdent(u.name)} of ${ctx.display(table)} (${u.definition}) uses column ${column.name}: PostgreSQL drops it with the column, and the format cannot declare it again`,
        })),
        ...columnDependentsHazards(ctx, table, column.name, 'drops'),
      ],
      deletes: { kind: 'column', schema: table.schema, table: table.name, column: column.name },
      action: 'drop',
      objectKind: 'column' as const,
      object: displayIdent(column.name),
      parent: ctx.display(table),
      change: change.kind,
      drops: [key.column(table, column.name), ...ctx.ownedSequences(live, column.name).map((s) => key.sequence(s))],
      requires: [key.table(table)],
      liveRequires: columnRequires(table, column, ctx.refs),
    }),
  ];
}

export function renameColumnSteps(change: ChangeOf<'rename_column'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} RENAME COLUMN ${quoteIdent(change.from)} TO ${quoteIdent(change.to)}`,
      action: 'alter',
      objectKind: 'column' as const,
      object: displayIdent(change.to),
      parent: ctx.display(table),
      detail: `renamed from ${change.from}`,
      change: change.kind,
      creates: [key.column(table, change.to)],
      drops: [key.column(table, change.from)],
      requires: [key.table(table)],
    }),
  ];
}

const TEXT_FAMILY = new Set(['text', 'character varying', 'character', 'bpchar', 'name', 'citext']);

function baseName(type: string): string {
  try {
    const p = parseTypeName(type);
    return p.arrayDims > 0 ? `${p.name}[]` : p.name;
  } catch {
    return type;
  }
}

/**
 * Without the server's answer (`PlanContext.castLevel`), an estimate of whether a change has no
 * implicit or assignment cast: from the text family to another type, or between an array and not.
 */
function needsUsing(from: string, to: string): boolean {
  const a = baseName(from);
  const b = baseName(to);
  if (a === b) return false;
  if (TEXT_FAMILY.has(b)) return false;
  return TEXT_FAMILY.has(a) || a.endsWith('[]') !== b.endsWith('[]');
}

/** An identity's sequence options with PostgreSQL's defaults filled in; undefined for a type a sequence cannot have. */
function identitySettings(type: string, identity: NonNullable<Column['identity']>): SequenceSettings | undefined {
  if (type !== 'smallint' && type !== 'integer' && type !== 'bigint') return undefined;
  const n = (v: string | undefined): bigint | undefined => (v === undefined ? undefined : BigInt(v));
  return sequenceSettings(type, {
    ...(identity.start !== undefined ? { start: n(identity.start)! } : {}),
    ...(identity.increment !== undefined ? { increment: n(identity.increment)! } : {}),
    ...(identity.minValue !== undefined ? { minValue: n(identity.minValue)! } : {}),
    ...(identity.maxValue !== undefined ? { maxValue: n(identity.maxValue)! } : {}),
  });
}

/** A temporary NOT NULL check's name, unique enough and at most 63 bytes. */
function notNullCheckName(table: string, column: string): string {
  return clipBytes(`pgr_${table}_${column}_not_null`, MAX_IDENTIFIER_BYTES);
}

/**
 * `blocked_by_dependents` for a step that drops column `column` (live name) of `table`, or changes
 * its type: the views, rules and policies the format does not manage that use it.
 */
function columnDependentsHazards(
  ctx: PlanContext,
  table: QualifiedName,
  column: string,
  action: 'drops' | 'changes the type of',
): Hazard[] {
  return dependentsHazards(
    ctx.dataFacts.dependents?.get(columnKey(table, column)),
    `column ${ctx.display(table)}.${displayIdent(column)}`,
    action,
    action === 'drops'
      ? 'cannot drop column because other objects depend on it'
      : 'cannot alter type of a column used by a view, rule or policy',
  );
}

export function alterColumnSteps(change: ChangeOf<'alter_column'>, ctx: PlanContext): StepDraft[] {
  const { table, from, to, attributes } = change;
  const t = qualify(table);
  const col = quoteIdent(to.name);
  const tableName = ctx.display(table);
  const object = displayIdent(to.name);
  const size = describeSize(ctx.tableStats(table));
  const has = (a: (typeof attributes)[number]): boolean => attributes.includes(a);
  const steps: StepDraft[] = [];
  const base = {
    action: 'alter' as const,
    objectKind: 'column' as const,
    object,
    parent: tableName,
    change: change.kind,
    requires: [key.table(table), key.column(table, to.name), ...columnRequires(table, to, ctx.refs)],
    liveRequires: columnRequires(table, from, ctx.refs),
    creates: [] as string[],
    drops: has('type') || has('collation') ? [key.columnType(table, from.name)] : [],
  };
  // The column's own changes (default, identity, type, DROP NOT NULL) go into ONE ALTER TABLE
  // with several subcommands: atomic, so a type change never leaves the column without its
  // default for a moment, and one table scan or rewrite at most.
  const clauses: { clause: string; detail?: string; hazards: Hazard[]; long: boolean }[] = [];
  const alter = (clause: string, detail: string | undefined, extra: { hazards?: Hazard[]; long?: boolean } = {}): void => {
    clauses.push({ clause, ...(detail !== undefined ? { detail } : {}), hazards: extra.hazards ?? [], long: extra.long ?? false });
  };
  let rewriteWhy: string | undefined;
  const flush = (keys: Partial<Pick<StepDraft, 'requires' | 'liveRequires' | 'drops' | 'creates'>> = {}): void => {
    if (clauses.length === 0) return;
    const details = clauses.map((c) => c.detail).filter((d): d is string => d !== undefined);
    const rewrites = rewriteWhy !== undefined && clauses.some((c) => c.hazards.some((h) => h.kind === 'table_rewrite'));
    steps.push(
      draft({
        ...base,
        sql: `ALTER TABLE ${t} ${clauses.map((c) => `ALTER COLUMN ${col} ${c.clause}`).join(', ')}`,
        ...(details.length > 0 ? { detail: details.join('; ') } : {}),
        hazards: clauses.flatMap((c) => c.hazards),
        long: clauses.some((c) => c.long),
        ...(rewrites
          ? {
              rewrite: {
                column: object,
                why: rewriteWhy!,
                table: tableName,
                size,
                tableSql: t,
                clause: clauses.map((c) => `ALTER COLUMN ${col} ${c.clause}`).join(', '),
              },
            }
          : {}),
        ...keys,
      }),
    );
    clauses.length = 0;
  };

  if (has('generated')) {
    if (to.generated === undefined) {
      alter('DROP EXPRESSION', 'no longer generated');
    } else {
      // PostgreSQL before 17 cannot change a generation expression: the column is re-added.
      const hazards = [
        ...rewriteHazards(tableName, `generated column ${to.name} is re-created with a new expression`, size),
        ...columnDependentsHazards(ctx, table, from.name, 'drops'),
      ];
      if (from.generated === undefined)
        hazards.unshift({
          kind: 'deletes_data',
          message: `column ${tableName}.${object} becomes generated: its current values are replaced`,
        });
      // A generated column's values are derived: only a column becoming generated loses data.
      const deletes =
        from.generated === undefined
          ? { deletes: { kind: 'column' as const, schema: table.schema, table: table.name, column: to.name } }
          : {};
      steps.push(
        draft({
          ...base,
          sql: `ALTER TABLE ${t} DROP COLUMN ${col}`,
          detail: 'dropped to change its generation expression',
          hazards,
          ...deletes,
        }),
        draft({
          ...base,
          sql: `ALTER TABLE ${t} ${[`ADD COLUMN ${columnDefinition(to)}`, ...columnOptionClauses(to)].join(', ')}`,
          detail: `generated as ${to.generated}`,
          long: true,
        }),
      );
      return steps;
    }
  }
  const typeChanges = has('type') || (has('collation') && from.type === to.type);
  if (has('default') || (typeChanges && from.default !== undefined)) {
    if (from.default !== undefined && (to.default === undefined || typeChanges)) {
      alter('DROP DEFAULT', has('default') && to.default === undefined ? 'default dropped' : undefined);
    }
  }
  if (has('identity') && from.identity !== undefined && to.identity === undefined) {
    alter('DROP IDENTITY', 'identity dropped');
    // The identity's sequence goes with DROP IDENTITY; a sequence the column now owns (a serial)
    // usually takes the same name: it is created after this step, and its default set after that.
    const owned = ctx.desired.sequences.find(
      (s) => s.ownedBy?.schema === table.schema && s.ownedBy.table === table.name && s.ownedBy.column === to.name,
    );
    if (owned !== undefined && !ctx.live.sequences.some((s) => s.schema === owned.schema && s.name === owned.name)) {
      flush({ requires: [key.table(table), key.column(table, to.name)], liveRequires: [], drops: [key.sequence(owned)] });
    }
  }
  if (typeChanges) {
    // Without `using:`, a type change with no assignment cast converts with `col::type` (or through
    // the text form when there is no cast at all): a value that does not convert fails the step.
    const level =
      has('type') && to.using === undefined
        ? (ctx.castLevel(from.type, to.type) ?? (needsUsing(from.type, to.type) ? 'explicit' : 'assignment'))
        : 'assignment';
    const using =
      to.using !== undefined
        ? expressionSql(to.using)
        : level === 'explicit'
          ? `${col}::${to.type}`
          : level === 'none'
            ? `${col}::text::${to.type}`
            : undefined;
    const rewrite = has('type') && !isBinaryCoercible(from.type, to.type);
    let clause = `TYPE ${to.type}`;
    if (to.collation !== undefined) clause += ` COLLATE ${quoteIdent(to.collation)}`;
    if (using !== undefined && has('type')) clause += ` USING ${using}`;
    const castHazards: Hazard[] =
      to.using === undefined && using !== undefined
        ? [
            {
              kind: 'converts_values',
              message: `column ${tableName}.${object} changes type from ${from.type} to ${to.type}, which has no automatic cast: its values are converted with USING ${using}${level === 'none' ? ' (no cast exists: through their text form)' : ''}; a value that does not convert makes the step fail and the apply rolls back — \`plan --rehearse --rehearse-rows N\` tries it on a copy first; declare \`using:\` on the column for another conversion`,
            },
          ]
        : [];
    const why = `column ${to.name} changes type from ${from.type} to ${to.type}`;
    if (rewrite) rewriteWhy = why;
    alter(
      clause,
      has('type') ? `type ${from.type} → ${to.type}` : `collation ${from.collation ?? 'default'} → ${to.collation ?? 'default'}`,
      {
        hazards: [
          ...castHazards,
          ...(rewrite ? rewriteHazards(tableName, why, size) : []),
          ...columnDependentsHazards(ctx, table, from.name, 'changes the type of'),
        ],
        long: rewrite,
      },
    );
  }
  if (has('default') || (typeChanges && from.default !== undefined)) {
    if (to.default !== undefined) alter(`SET DEFAULT ${expressionSql(to.default)}`, has('default') ? `default ${to.default}` : undefined);
  }
  // A type change gives the column its new type's storage and no compression method of its own:
  // those the file declares are set again after it.
  if ((has('storage') && !typeChanges) || (typeChanges && to.storage !== undefined)) {
    const storage = to.storage ?? from.typeStorage;
    if (storage !== undefined)
      alter(`SET STORAGE ${storageSql(storage)}`, has('storage') ? `storage ${to.storage ?? 'default'}` : undefined);
  }
  if ((has('compression') && !typeChanges) || (typeChanges && to.compression !== undefined)) {
    alter(`SET COMPRESSION ${to.compression ?? 'DEFAULT'}`, has('compression') ? `compression ${to.compression ?? 'default'}` : undefined);
  }
  if (has('statistics')) alter(`SET STATISTICS ${statisticsSql(to.statistics ?? -1)}`, `statistics ${to.statistics ?? 'default'}`);
  // A serial becoming an identity: its sequence (which the plan drops) goes before ADD IDENTITY, so
  // that the identity's sequence takes its name rather than `<name>1`.
  const oldSerial =
    has('identity') && from.identity === undefined && to.identity !== undefined && !has('nullable')
      ? sequencesIn(from.default)
          .filter((q) => !ctx.desired.sequences.some((d) => d.schema === q.schema && d.name === q.name))
          .map((q) => key.sequence(q))
      : [];
  const identityKeys =
    oldSerial.length > 0 ? { creates: oldSerial, liveRequires: base.liveRequires.filter((k) => !oldSerial.includes(k)) } : {};
  if (has('identity') && to.identity !== undefined) {
    if (from.identity === undefined) {
      if (oldSerial.length > 0) flush();
      alter(`ADD ${identitySql(to.identity)}`, `identity ${to.identity.kind}`);
    } else {
      const opts: string[] = [];
      if (from.identity.kind !== to.identity.kind) opts.push(`SET GENERATED ${to.identity.kind === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
      const o = to.identity;
      const f = from.identity;
      // The options as PostgreSQL has them (the model leaves defaults out): a start implied by the
      // bounds moves with them, and the current value must lie in the new range before it changes.
      const was = identitySettings(from.type, f);
      const will = identitySettings(to.type, o);
      if (o.increment !== f.increment) opts.push(`SET INCREMENT BY ${o.increment ?? '1'}`);
      if (o.minValue !== f.minValue) opts.push(o.minValue === undefined ? 'SET NO MINVALUE' : `SET MINVALUE ${o.minValue}`);
      if (o.maxValue !== f.maxValue) opts.push(o.maxValue === undefined ? 'SET NO MAXVALUE' : `SET MAXVALUE ${o.maxValue}`);
      if (o.start !== f.start || (was !== undefined && will !== undefined && was.start !== will.start))
        opts.push(`SET START WITH ${will?.start ?? o.start ?? '1'}`);
      const bound =
        was !== undefined && will !== undefined && (o.minValue !== f.minValue || o.maxValue !== f.maxValue)
          ? clampBound(was, will)
          : undefined;
      if (bound !== undefined) {
        const ascending = BigInt(will!.increment) > 0n;
        // The type change first (it widens the sequence's type), then the clamp, then the options.
        flush();
        const sequence = `pg_get_serial_sequence(${literal(qualify(table))}, ${literal(from.name)})`;
        const value = `COALESCE(pg_sequence_last_value(s.seq::regclass), ${String(BigInt(was!.start))})`;
        steps.push(
          draft({
            ...base,
            sql: rangeClampSql('s.seq::regclass', value, `(SELECT ${sequence} AS seq) s`, bound, ascending),
            detail: `identity's current value moved on to ${bound} where it lies outside the new range`,
            hazards: [rangeClampHazard(`the identity sequence of ${tableName}.${object}`, bound, ascending, false)],
          }),
        );
      }
      if (o.cache !== f.cache) opts.push(`SET CACHE ${o.cache ?? '1'}`);
      if ((o.cycle ?? false) !== (f.cycle ?? false)) opts.push(o.cycle ? 'SET CYCLE' : 'SET NO CYCLE');
      if (opts.length > 0) alter(opts.join(' '), `identity ${to.identity.kind}`);
    }
  }
  const addsIdentity = has('identity') && from.identity === undefined && to.identity !== undefined;
  if (has('nullable')) {
    if (to.nullable) {
      // A column of the live primary key cannot lose NOT NULL: the step runs after the key's drop.
      if (ctx.liveTable(table)?.primaryKey?.columns.includes(from.name) === true) {
        base.creates = [key.keyColumn(table, from.name)];
      }
      alter('DROP NOT NULL', 'nullable');
    } else {
      // An identity can only be added to a NOT NULL column: the NOT NULL steps go first then.
      const pending = addsIdentity ? clauses.splice(0) : [];
      // SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock, unless a valid CHECK (col IS NOT NULL)
      // already proves it: add that check NOT VALID, validate it (no exclusive lock), then set and drop it.
      flush();
      // A data change that fills the column (`before: { not_null: … }`) runs before these steps.
      const filled = ctx.fills.has(columnKey(table, to.name)) ? [dataKey.columnFilled(table, to.name)] : [];
      const common = {
        ...base,
        objectKind: 'column' as const,
        requires: [...base.requires, ...steps.flatMap((s) => s.creates), ...filled],
      };
      const nulls = nullsHazard(
        ctx,
        table,
        from.name,
        `the validation fails until they are filled (an UPDATE of ${tableName} before the apply)`,
      );
      steps.push(...notNullThroughCheck(table, to.name, tableName, size, common, nulls));
      clauses.push(...pending);
    }
  }
  flush(identityKeys);
  // A serial turned identity (or back) starts a new sequence: it goes on past the values the
  // column holds, as the old one would have, instead of handing them out again.
  const owned = ctx.desired.sequences.find(
    (s) => s.ownedBy?.schema === table.schema && s.ownedBy.table === table.name && s.ownedBy.column === to.name,
  );
  const newSerial =
    has('identity') &&
    from.identity !== undefined &&
    to.identity === undefined &&
    owned !== undefined &&
    !ctx.live.sequences.some((s) => s.schema === owned.schema && s.name === owned.name);
  const newIdentity = addsIdentity && sequencesIn(from.default).length > 0 ? identitySettings(to.type, to.identity) : undefined;
  const carried =
    newSerial && BigInt(owned.increment) > 0n
      ? { seq: `${literal(qualify(owned))}::regclass`, min: owned.minValue }
      : newIdentity !== undefined && BigInt(newIdentity.increment) > 0n
        ? { seq: `pg_get_serial_sequence(${literal(qualify(table))}, ${literal(to.name)})::regclass`, min: newIdentity.minValue }
        : undefined;
  if (carried !== undefined) {
    steps.push(
      draft({
        ...base,
        sql: `SELECT setval(${carried.seq}, m) FROM (SELECT max(${col})::bigint AS m FROM ${t}) x WHERE m >= ${String(BigInt(carried.min))}`,
        detail: `the new sequence goes on past the largest value of ${object}`,
        requires: [...base.requires, ...(newSerial ? [key.sequence(owned)] : [])],
        ...(oldSerial.length > 0 ? { liveRequires: identityKeys.liveRequires } : {}),
      }),
    );
  }
  return steps;
}
