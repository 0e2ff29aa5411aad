/**
 * Steps for domains: create, drop, rename, default and NOT NULL, checks (added NOT VALID then
 * validated; only NOT VALID where the file says `validated: false`), and replace (a new base type
 * or collation: dropped and created, refused while anything uses the domain).
 */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, displayQualified, quoteIdent, qualify } from '../../model/ident.js';
import { refKey } from '../../model/object-ref.js';
import { expressionSql } from '../../model/sql-names.js';
import type { QualifiedName } from '../../model/types.js';
import { dependentsHazards, untrackable, type Hazard } from '../../plan/hazards.js';
import { PlanError } from '../../plan/errors.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key, type ReferenceResolver } from '../../plan/references.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import type { Domain, DomainCheck } from './model.js';

const base = (d: QualifiedName, change: ChangeOf<DomainStepChange>['kind']) => ({
  objectKind: 'domain' as const,
  object: displayQualified(d),
  change,
});

type DomainStepChange =
  | 'create_domain'
  | 'drop_domain'
  | 'rename_domain'
  | 'alter_domain'
  | 'add_domain_check'
  | 'drop_domain_check'
  | 'validate_domain_check'
  | 'replace_domain';

/** `CHECK (expression)`. */
export function domainCheckSql(check: DomainCheck): string {
  return `CHECK (${expressionSql(check.expression)})`;
}

/** `CREATE DOMAIN` with its collation, default, NOT NULL and valid checks. */
export function createDomainSql(d: Domain): string {
  let sql = `CREATE DOMAIN ${qualify(d)} AS ${d.type}`;
  if (d.collation !== undefined) sql += ` COLLATE ${quoteIdent(d.collation)}`;
  if (d.default !== undefined) sql += ` DEFAULT ${expressionSql(d.default)}`;
  if (d.notNull) sql += ' NOT NULL';
  for (const check of d.checks) if (!check.notValid) sql += ` CONSTRAINT ${quoteIdent(check.name)} ${domainCheckSql(check)}`;
  return sql;
}

/** What a domain needs to exist first: its schema, its base type (an enum or domain), its collation, the functions its expressions call. */
export function domainRequires(d: Domain, refs: ReferenceResolver): string[] {
  const keys = [key.schema(d.schema)];
  const typeKey = refs.userTypeKey(d.type);
  if (typeKey !== undefined) keys.push(typeKey);
  const collationKey = refs.collationKey(d.collation);
  if (collationKey !== undefined) keys.push(collationKey);
  keys.push(...refs.callKeysIn(d.default));
  for (const check of d.checks) keys.push(...refs.callKeysIn(check.expression));
  return keys;
}

export function createDomainSteps(change: ChangeOf<'create_domain'>, ctx: PlanContext): StepDraft[] {
  const d = change.domain;
  return [
    draft({
      ...base(d, change.kind),
      sql: createDomainSql(d),
      action: 'create',
      creates: [key.type(d), ...d.checks.filter((c) => !c.notValid).map((c) => key.domainCheck(d, c.name))],
      requires: domainRequires(d, ctx.refs),
    }),
  ];
}

/** `blocked_by_dependents` for a step that drops a domain (a view or rule that uses it). */
function dependents(ctx: PlanContext, d: QualifiedName, action: string): Hazard[] {
  return dependentsHazards(
    ctx.dataFacts.dependents?.get(refKey({ kind: 'type', schema: d.schema, name: d.name })),
    `domain ${displayQualified(d)}`,
    action,
    'cannot drop type because other objects depend on it',
  );
}

export function dropDomainSteps(change: ChangeOf<'drop_domain'>, ctx: PlanContext): StepDraft[] {
  const d = change.domain;
  return [
    draft({
      ...base(d, change.kind),
      sql: `DROP DOMAIN ${qualify(d)}`,
      hazards: [
        untrackable(`domain ${displayQualified(d)} is dropped; the drop fails while columns or functions outside the file use it`),
        ...dependents(ctx, d, 'drops'),
      ],
      action: 'drop',
      drops: [key.type(d), ...d.checks.map((c) => key.domainCheck(d, c.name))],
      liveRequires: domainRequires(d, ctx.refs),
    }),
  ];
}

export function renameDomainSteps(change: ChangeOf<'rename_domain'>): StepDraft[] {
  const { from, to } = change;
  return [
    draft({
      ...base(to, change.kind),
      sql: `ALTER DOMAIN ${qualify(from)} RENAME TO ${quoteIdent(to.name)}`,
      action: 'alter',
      detail: `renamed from ${displayQualified(from)}`,
      creates: [key.type(to)],
      drops: [key.type(from)],
      requires: [key.schema(to.schema)],
    }),
  ];
}

export function alterDomainSteps(change: ChangeOf<'alter_domain'>, ctx: PlanContext): StepDraft[] {
  const { from, to } = change;
  const domain = qualify(to);
  if (change.attribute === 'default') {
    return [
      draft({
        ...base(to, change.kind),
        sql:
          to.default === undefined
            ? `ALTER DOMAIN ${domain} DROP DEFAULT`
            : `ALTER DOMAIN ${domain} SET DEFAULT ${expressionSql(to.default)}`,
        action: 'alter',
        detail: `default ${from.default ?? 'none'} → ${to.default ?? 'none'}`,
        requires: [key.type(to), ...ctx.refs.callKeysIn(to.default)],
      }),
    ];
  }
  if (!to.notNull) {
    return [
      draft({
        ...base(to, change.kind),
        sql: `ALTER DOMAIN ${domain} DROP NOT NULL`,
        action: 'alter',
        detail: 'NOT NULL dropped',
        requires: [key.type(to)],
      }),
    ];
  }
  return [
    draft({
      ...base(to, change.kind),
      sql: `ALTER DOMAIN ${domain} SET NOT NULL`,
      action: 'alter',
      detail: 'NOT NULL set',
      hazards: [
        {
          kind: 'validates_constraint',
          message: `every column of domain ${displayQualified(to)} is scanned for NULLs (there is no NOT VALID way); a NULL makes the step fail`,
        },
      ],
      long: true,
      requires: [key.type(to)],
    }),
  ];
}

export function addDomainCheckSteps(change: ChangeOf<'add_domain_check'>, ctx: PlanContext): StepDraft[] {
  const { domain: d, check } = change;
  const add = `ALTER DOMAIN ${qualify(d)} ADD CONSTRAINT ${quoteIdent(check.name)} ${domainCheckSql(check)} NOT VALID`;
  const common = {
    ...base(d, change.kind),
    action: 'alter' as const,
    requires: [key.type(d), ...ctx.refs.callKeysIn(check.expression)],
  };
  if (check.notValid) {
    return [
      draft({
        ...common,
        sql: add,
        detail: `check ${displayIdent(check.name)} added NOT VALID and left so (validated: false: values already stored are not checked)`,
        creates: [key.domainCheck(d, check.name)],
      }),
    ];
  }
  return [
    draft({
      ...common,
      sql: add,
      detail: `check ${displayIdent(check.name)} added NOT VALID (new values checked at once)`,
      creates: [key.domainCheck(d, check.name)],
    }),
    validateStep(d, check, change.kind),
  ];
}

function validateStep(d: Domain, check: DomainCheck, change: ChangeOf<DomainStepChange>['kind']): StepDraft {
  return draft({
    ...base(d, change),
    sql: `ALTER DOMAIN ${qualify(d)} VALIDATE CONSTRAINT ${quoteIdent(check.name)}`,
    action: 'alter',
    detail: `check ${displayIdent(check.name)}: values already stored validated`,
    hazards: [
      {
        kind: 'validates_constraint',
        message: `every column of domain ${displayQualified(d)} is scanned to validate ${displayIdent(check.name)}; a value that breaks it makes the step fail`,
      },
    ],
    long: true,
    requires: [key.type(d), key.domainCheck(d, check.name)],
  });
}

export function validateDomainCheckSteps(change: ChangeOf<'validate_domain_check'>): StepDraft[] {
  return [validateStep(change.domain, change.check, change.kind)];
}

export function dropDomainCheckSteps(change: ChangeOf<'drop_domain_check'>): StepDraft[] {
  const { domain: d, check } = change;
  return [
    draft({
      ...base(d, change.kind),
      sql: `ALTER DOMAIN ${qualify(d)} DROP CONSTRAINT ${quoteIdent(check.name)}`,
      action: 'alter',
      detail: `check ${displayIdent(check.name)} dropped`,
      drops: [key.domainCheck(d, check.name)],
      liveRequires: [key.type(d)],
    }),
  ];
}

/** The live columns and functions that use a domain (or an array of it), and the domains based on it, for the refusal's message. */
function usersOf(d: QualifiedName, ctx: PlanContext): string[] {
  const users: string[] = [];
  const named = (type: string): boolean => {
    const found = ctx.refs.userTypeKey(type.replace(/^\s*setof\s+/i, ''));
    return found === key.type(d);
  };
  for (const t of ctx.live.tables)
    for (const c of t.columns) if (named(c.type)) users.push(`column ${displayQualified(t)}.${displayIdent(c.name)}`);
  for (const f of ctx.live.functions)
    if (f.arguments.some((a) => named(a.type)) || named(f.returns)) users.push(`function ${displayQualified(f)}`);
  for (const other of ctx.live.domains) if (named(other.type)) users.push(`domain ${displayQualified(other)}`);
  return users;
}

export function replaceDomainSteps(change: ChangeOf<'replace_domain'>, ctx: PlanContext): StepDraft[] {
  const { from, to, what } = change;
  const users = usersOf(from, ctx);
  const changed = what.map((w) =>
    w === 'type' ? `base type ${from.type} → ${to.type}` : `collation ${from.collation ?? 'default'} → ${to.collation ?? 'default'}`,
  );
  if (users.length > 0) {
    const shown = users.slice(0, 5).join(', ') + (users.length > 5 ? `, and ${users.length - 5} more` : '');
    throw new PlanError(
      `domain ${displayQualified(to)}: the ${changed.join(' and the ')} cannot be planned while ${shown} use it: ` +
        'PostgreSQL cannot change them in place (no ALTER DOMAIN ... TYPE), and a domain in use cannot be dropped and created again; ' +
        'declare a new domain, move the columns and functions to it, then drop the old one',
    );
  }
  return [
    draft({
      ...base(to, change.kind),
      sql: `DROP DOMAIN ${qualify(from)};\n${createDomainSql(to)}`,
      action: 'alter',
      detail: `${changed.join(', ')}: dropped and created (nothing uses it)`,
      hazards: [
        untrackable(
          `domain ${displayQualified(to)} is dropped and created again; objects the file does not manage that use it make the drop fail`,
        ),
        ...dependents(ctx, from, 'replaces'),
      ],
      creates: [key.type(to), ...to.checks.filter((c) => !c.notValid).map((c) => key.domainCheck(to, c.name))],
      requires: domainRequires(to, ctx.refs),
      liveRequires: domainRequires(from, ctx.refs),
    }),
  ];
}
