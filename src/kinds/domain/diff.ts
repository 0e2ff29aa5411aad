/**
 * Domains, keyed by (schema, name), matched through `renamed_from` (a rename). A domain whose
 * base type or collation differ is replaced (ALTER DOMAIN cannot change them); otherwise its
 * default and NOT NULL are altered and its checks added, dropped (a changed check: dropped and
 * added) or validated. Expressions are judged by the server where it judged (src/judge), else by
 * their parse trees. A live domain listed under `external_types` is managed elsewhere: left alone.
 */
import type { QualifiedName } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import { collationName, sameExpr } from '../../diff/compare.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { decide, type Judge, type TableJudge } from '../../judge/slots.js';
import { diffComment } from '../comment/diff.js';
import { matchObjects, nameKey } from '../../diff/match.js';
import type { Domain } from './model.js';

/** The domain kind's diff (`ObjectKind.diff`). */
export const domainDiff: ModelKindDiff = {
  scope: 'model',
  run: (d) => {
    const external = new Set((d.externalTypes ?? []).map((t) => nameKey(t.schema, t.name)));
    const live = d.have.domains.filter((x) => !external.has(nameKey(x.schema, x.name)));
    return diffDomains(d.want.domains, live, d.judge);
  },
};

const qualifiedName = (d: QualifiedName): QualifiedName => ({ schema: d.schema, name: d.name });

/**
 * @example
 * diffDomains([{ schema: 'public', name: 'year', type: 'integer', notNull: false, checks: [] }], [])
 * // [{ kind: 'create_domain', domain: { schema: 'public', name: 'year', ... } }]
 */
export function diffDomains(desired: readonly Domain[], live: readonly Domain[], judge?: Judge): Change[] {
  const key = (d: Domain): string => nameKey(d.schema, d.name);
  const matching = matchObjects(desired, live, {
    desired: key,
    live: key,
    previous: (d) => (d.renamedFrom === undefined ? undefined : nameKey(d.schema, d.renamedFrom)),
  });
  const changes: Change[] = [];
  for (const domain of matching.added) changes.push(...createDomain(domain));
  for (const { desired: to, live: from, renamed } of matching.pairs) {
    const what: ('type' | 'collation')[] = [];
    if (to.type !== from.type) what.push('type');
    if (collationName(to.collation) !== collationName(from.collation)) what.push('collation');
    if (what.length > 0) {
      changes.push({ kind: 'replace_domain', from, to, what });
      for (const check of to.checks) if (check.notValid) changes.push({ kind: 'add_domain_check', domain: to, check, domainIsNew: true });
      changes.push(...diffComment({ on: 'domain', domain: qualifiedName(to) }, to.comment, undefined));
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_domain', from: qualifiedName(from), to });
    changes.push(...alterDomain(to, from, judge?.forDomain?.(to.schema, to.name)));
    changes.push(...diffComment({ on: 'domain', domain: qualifiedName(to) }, to.comment, from.comment));
  }
  for (const domain of matching.removed) changes.push({ kind: 'drop_domain', domain });
  return changes;
}

/** A new domain: its valid checks are part of CREATE DOMAIN; a NOT VALID one is added after (so it reads back NOT VALID). */
function createDomain(domain: Domain): Change[] {
  const changes: Change[] = [{ kind: 'create_domain', domain }];
  for (const check of domain.checks) if (check.notValid) changes.push({ kind: 'add_domain_check', domain, check, domainIsNew: true });
  changes.push(...diffComment({ on: 'domain', domain: qualifiedName(domain) }, domain.comment, undefined));
  return changes;
}

function alterDomain(to: Domain, from: Domain, judge: TableJudge | undefined): Change[] {
  const changes: Change[] = [];
  const sameDefault = decide(judge?.verdict('default', to.name, 0, from.default), () => sameExpr(to.default, from.default));
  if (!sameDefault) changes.push({ kind: 'alter_domain', from, to, attribute: 'default' });
  if (to.notNull !== from.notNull) changes.push({ kind: 'alter_domain', from, to, attribute: 'not_null' });
  const liveChecks = new Map(from.checks.map((c) => [c.name, c]));
  for (const check of to.checks) {
    const have = liveChecks.get(check.name);
    if (have === undefined) {
      changes.push({ kind: 'add_domain_check', domain: to, check, domainIsNew: false });
      continue;
    }
    liveChecks.delete(check.name);
    if (!decide(judge?.verdict('check', check.name, 0, have.expression), () => sameExpr(check.expression, have.expression))) {
      changes.push({ kind: 'drop_domain_check', domain: to, check: have });
      changes.push({ kind: 'add_domain_check', domain: to, check, domainIsNew: false });
      continue;
    }
    if (have.notValid && !check.notValid) changes.push({ kind: 'validate_domain_check', domain: to, check });
  }
  for (const check of liveChecks.values()) changes.push({ kind: 'drop_domain_check', domain: to, check });
  return changes;
}
