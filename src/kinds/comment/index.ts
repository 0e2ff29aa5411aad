/**
 * Comments (`COMMENT ON … IS`) on every object that has one: one change kind whose target says
 * what the comment is on.
 */
import type { CommentTarget } from '../../diff/changes.js';
import { displayQualified, fnName, on, sameName, type DriftObjectKind } from '../../drift/items.js';
import { functionKey, functionRef, type ObjectRef } from '../../model/object-ref.js';
import type { QualifiedName, SchemaModel } from '../../model/types.js';
import { setCommentSteps } from './steps.js';
import type { CommentChange } from './changes.js';
import { commentRefs } from './refs.js';
import { commentDiff } from './diff.js';
import { commentFormat } from './format-schema.js';
import { indexRef, objectRef, sortPath, tableMemberRef } from '../shared.js';
import type { ModelAttribute, ObjectKind } from '../kind.js';
import { commentModel } from './model.js';
import { commentRaw } from './raw.js';
import { commentChecks } from './checks.js';
import { commentPull } from './pull.js';
import { commentIntrospect } from './introspect.js';

function commentObject(target: CommentTarget): { object: string; of: DriftObjectKind } {
  switch (target.on) {
    case 'schema':
      return { object: target.schema, of: 'schema' };
    case 'table':
      return { object: displayQualified(target.table), of: 'table' };
    case 'column':
      return { object: on(target.table, target.column), of: 'column' };
    case 'enum':
      return { object: displayQualified(target.type), of: 'enum' };
    case 'collation':
      return { object: displayQualified(target.collation), of: 'collation' };
    case 'domain':
      return { object: displayQualified(target.domain), of: 'domain' };
    case 'sequence':
      return { object: displayQualified(target.sequence), of: 'sequence' };
    case 'function':
      return { object: fnName(target.fn), of: 'function' };
    case 'index':
      return { object: on(target.table, target.index), of: 'index' };
    case 'constraint':
      return { object: on(target.table, target.constraint), of: 'check' };
    case 'trigger':
      return { object: on(target.table, target.trigger), of: 'trigger' };
  }
}

/** The comment `target` carries in `model` (null when none or when the object is absent). */
function commentIn(model: SchemaModel, target: CommentTarget): string | null {
  const table = (t: QualifiedName) => model.tables.find((x) => sameName(x, t));
  switch (target.on) {
    case 'schema':
      return model.schemas.find((s) => s.name === target.schema)?.comment ?? null;
    case 'table':
      return table(target.table)?.comment ?? null;
    case 'column':
      return table(target.table)?.columns.find((c) => c.name === target.column)?.comment ?? null;
    case 'enum':
      return model.enums.find((e) => sameName(e, target.type))?.comment ?? null;
    case 'collation':
      return model.collations.find((c) => sameName(c, target.collation))?.comment ?? null;
    case 'domain':
      return model.domains.find((d) => sameName(d, target.domain))?.comment ?? null;
    case 'sequence':
      return model.sequences.find((s) => sameName(s, target.sequence))?.comment ?? null;
    case 'function':
      return model.functions.find((f) => fnName(f) === fnName(target.fn))?.comment ?? null;
    case 'index':
      return table(target.table)?.indexes.find((i) => i.name === target.index)?.comment ?? null;
    case 'constraint': {
      const t = table(target.table);
      if (!t) return null;
      const all = [t.primaryKey, ...t.uniques, ...t.checks, ...t.foreignKeys];
      return all.find((c) => c?.name === target.constraint)?.comment ?? null;
    }
    case 'trigger':
      return table(target.table)?.triggers.find((g) => g.name === target.trigger)?.comment ?? null;
  }
}

/** The object a comment is on, as a step's target. */
function commentRef(target: CommentTarget): ObjectRef {
  switch (target.on) {
    case 'schema':
      return { kind: 'schema', name: target.schema };
    case 'table':
      return objectRef('table', target.table);
    case 'column':
      return tableMemberRef('column', target.table, target.column);
    case 'enum':
      return objectRef('type', target.type);
    case 'collation':
      return { kind: 'collation', schema: target.collation.schema, name: target.collation.name };
    case 'domain':
      return objectRef('type', target.domain);
    case 'sequence':
      return objectRef('sequence', target.sequence);
    case 'function':
      return functionRef(target.fn);
    case 'index':
      return indexRef(target.table, target.index);
    case 'constraint':
      return tableMemberRef('constraint', target.table, target.constraint);
    case 'trigger':
      return tableMemberRef('trigger', target.table, target.trigger);
  }
}

/** What comments sort by: the object's kind and names, a table's members under the table. */
function commentSortKey(target: CommentTarget): string {
  switch (target.on) {
    case 'schema':
      return sortPath('schema', target.schema);
    case 'table':
      return sortPath('table', target.table.schema, target.table.name);
    case 'column':
      return sortPath('table', target.table.schema, target.table.name, 'column', target.column);
    case 'enum':
      return sortPath('enum', target.type.schema, target.type.name);
    case 'collation':
      return sortPath('collation', target.collation.schema, target.collation.name);
    case 'domain':
      return sortPath('domain', target.domain.schema, target.domain.name);
    case 'sequence':
      return sortPath('sequence', target.sequence.schema, target.sequence.name);
    case 'function':
      return sortPath('function', functionKey(target.fn));
    case 'index':
      return sortPath('table', target.table.schema, target.table.name, 'index', target.index);
    case 'constraint':
      return sortPath('table', target.table.schema, target.table.name, 'constraint', target.constraint);
    case 'trigger':
      return sortPath('table', target.table.schema, target.table.name, 'trigger', target.trigger);
  }
}

export const commentKind: ObjectKind<CommentChange, ModelAttribute, typeof commentRefs> = {
  name: 'comment',
  format: commentFormat,
  model: commentModel,
  raw: commentRaw,
  checks: commentChecks,
  pull: commentPull,
  refs: commentRefs,
  diff: commentDiff,
  introspect: commentIntrospect,
  phase: { create: 11, drop: 11 },
  changes: {
    set_comment: {
      steps: (c) => setCommentSteps(c),
      target: (c) => commentRef(c.target),
      sortKey: (c) => commentSortKey(c.target),
      describe: (c, from) => {
        const { object, of } = commentObject(c.target);
        return [
          {
            object,
            kind: of,
            action: 'changed',
            what: ['comment'],
            before: { comment: commentIn(from, c.target) },
            after: { comment: c.comment },
          },
        ];
      },
    },
  },
  drops: [],
};
