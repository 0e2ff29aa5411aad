/** Domains: create, drop, rename, default and NOT NULL, checks (added NOT VALID and validated), replace (a new base type or collation, while unused). */
import { domainCommentOn } from './comment-on.js';
import {
  addDomainCheckSteps,
  alterDomainSteps,
  createDomainSteps,
  dropDomainCheckSteps,
  dropDomainSteps,
  renameDomainSteps,
  replaceDomainSteps,
  validateDomainCheckSteps,
} from './steps.js';
import { added, displayQualified, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import type { DomainChange } from './changes.js';
import { domainRefs } from './refs.js';
import { domainDiff } from './diff.js';
import { domainFormat } from './format-schema.js';
import { objectRef, sortPath } from '../shared.js';
import { domainModel } from './model.js';
import { domainRaw } from './raw.js';
import { domainChecks } from './checks.js';
import { domainPull } from './pull.js';
import { domainIntrospect } from './introspect.js';

const changed = (d: { schema: string; name: string }, what: string, before: unknown, after: unknown) => [
  {
    object: displayQualified(d),
    kind: 'domain' as const,
    action: 'changed' as const,
    what: [what],
    before: { [what]: before },
    after: { [what]: after },
  },
];

export const domainKind: ObjectKind<DomainChange, typeof domainModel, typeof domainRefs, 'domain'> = {
  name: 'domain',
  format: domainFormat,
  commentOn: domainCommentOn,
  covers: ['domain'],
  model: domainModel,
  raw: domainRaw,
  checks: domainChecks,
  pull: domainPull,
  refs: domainRefs,
  diff: domainDiff,
  introspect: domainIntrospect,
  phase: { create: 2, drop: 18 },
  changes: {
    create_domain: {
      steps: createDomainSteps,
      target: (c) => objectRef('type', c.domain),
      sortKey: (c) => sortPath(c.domain.schema, c.domain.name),
      describe: (c) => added(displayQualified(c.domain), 'domain', c.domain),
    },
    rename_domain: {
      steps: (c) => renameDomainSteps(c),
      target: (c) => objectRef('type', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'domain',
          action: 'renamed',
          before: displayQualified(c.from),
          after: displayQualified(c.to),
        },
      ],
      renames: true,
    },
    alter_domain: {
      steps: alterDomainSteps,
      target: (c) => objectRef('type', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name, c.attribute),
      describe: (c) =>
        c.attribute === 'default'
          ? changed(c.to, 'default', c.from.default ?? null, c.to.default ?? null)
          : changed(c.to, 'notNull', c.from.notNull, c.to.notNull),
    },
    add_domain_check: {
      steps: addDomainCheckSteps,
      target: (c) => objectRef('type', c.domain),
      sortKey: (c) => sortPath(c.domain.schema, c.domain.name, c.check.name),
      describe: (c) => changed(c.domain, 'check', null, { name: c.check.name, expression: c.check.expression }),
    },
    validate_domain_check: {
      steps: (c) => validateDomainCheckSteps(c),
      target: (c) => objectRef('type', c.domain),
      sortKey: (c) => sortPath(c.domain.schema, c.domain.name, c.check.name),
      describe: (c) => changed(c.domain, 'notValid', true, false),
    },
    replace_domain: {
      steps: replaceDomainSteps,
      target: (c) => objectRef('type', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'domain',
          action: 'changed',
          what: [...c.what],
          before: { type: c.from.type, collation: c.from.collation ?? null },
          after: { type: c.to.type, collation: c.to.collation ?? null },
        },
      ],
    },
    drop_domain_check: {
      steps: (c) => dropDomainCheckSteps(c),
      target: (c) => objectRef('type', c.domain),
      sortKey: (c) => sortPath(c.domain.schema, c.domain.name, c.check.name),
      describe: (c) => changed(c.domain, 'check', { name: c.check.name, expression: c.check.expression }, null),
    },
    drop_domain: {
      steps: dropDomainSteps,
      target: (c) => objectRef('type', c.domain),
      sortKey: (c) => sortPath(c.domain.schema, c.domain.name),
      describe: (c) => dropped(displayQualified(c.domain), 'domain', c.domain),
    },
  },
  drops: ['drop_domain', 'drop_domain_check'],
};
