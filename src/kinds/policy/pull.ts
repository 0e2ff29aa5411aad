/**
 * The policy kind's part of the pull writer: a table's `row_level_security` and `policies`,
 * before the constraint kind's `exclude`, the last entry of a table's map. Expressions are
 * written as the catalog prints them (pg_get_expr): the server's own normal form.
 */
import type { PullPlacement } from '../kind.js';
import type { Table } from '../../model/types.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlSeq, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { PUBLIC_ROLE, type Policy } from './model.js';

function policyNode(p: Policy): YamlNode {
  const publicOnly = p.roles.length === 1 && p.roles[0] === PUBLIC_ROLE;
  return yamlMap([
    ['command', p.command !== 'all' ? yamlString(p.command) : undefined],
    ['as', p.permissive ? undefined : yamlString('restrictive')],
    ['roles', publicOnly ? undefined : yamlSeq(p.roles.map((r) => yamlString(r === PUBLIC_ROLE ? 'PUBLIC' : r)))],
    ['using', p.using !== undefined ? yamlString(p.using) : undefined],
    ['with_check', p.withCheck !== undefined ? yamlString(p.withCheck) : undefined],
    commentEntry(p.comment),
  ]);
}

function rowSecurityNode(t: Table): YamlNode | undefined {
  const rls = t.rowLevelSecurity;
  if (rls === undefined || (!rls.enabled && !rls.forced)) return undefined;
  return yamlMap([
    ['enabled', yamlBool(rls.enabled)],
    ['forced', rls.forced ? yamlBool(true) : undefined],
  ]);
}

export const policyPull: readonly PullPlacement[] = [
  {
    in: 'table',
    before: 'exclude',
    entries: (_ctx, t) => {
      const policies = (t.policies ?? []).map((p) => [p.name, policyNode(p)] as const);
      return [
        ['row_level_security', rowSecurityNode(t)],
        ['policies', policies.length > 0 ? yamlMap(policies, 'block') : undefined],
      ];
    },
  },
];
