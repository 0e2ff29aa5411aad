/** Steps for comments: `COMMENT ON` every kind of object. */
import type { ChangeOf, CommentTarget } from '../../diff/changes.js';
import { displayIdent, displayQualified, quoteIdent, qualify } from '../../model/ident.js';
import { key } from '../../plan/references.js';
import { functionSignatureSql, literal } from '../../plan/sql-text.js';
import { draft, type StepDraft, type StepObjectKind } from '../../plan/step-draft.js';
import { functionDisplay } from '../function/steps.js';

function commentOn(target: CommentTarget): {
  sql: string;
  object: string;
  objectKind: StepObjectKind;
  parent?: string;
  requires: string[];
} {
  switch (target.on) {
    case 'schema':
      return {
        sql: `SCHEMA ${quoteIdent(target.schema)}`,
        object: displayIdent(target.schema),
        objectKind: 'schema' as const,
        requires: [key.schema(target.schema)],
      };
    case 'table':
      return {
        sql: `TABLE ${qualify(target.table)}`,
        object: displayQualified(target.table),
        objectKind: 'table' as const,
        requires: [key.table(target.table)],
      };
    case 'column':
      return {
        sql: `COLUMN ${qualify(target.table)}.${quoteIdent(target.column)}`,
        object: displayIdent(target.column),
        objectKind: 'column' as const,
        parent: displayQualified(target.table),
        requires: [key.column(target.table, target.column)],
      };
    case 'enum':
      return {
        sql: `TYPE ${qualify(target.type)}`,
        object: displayQualified(target.type),
        objectKind: 'enum' as const,
        requires: [key.type(target.type)],
      };
    case 'collation':
      return {
        sql: `COLLATION ${qualify(target.collation)}`,
        object: displayQualified(target.collation),
        objectKind: 'collation' as const,
        requires: [key.collation(target.collation)],
      };
    case 'domain':
      return {
        sql: `DOMAIN ${qualify(target.domain)}`,
        object: displayQualified(target.domain),
        objectKind: 'domain' as const,
        requires: [key.type(target.domain)],
      };
    case 'sequence':
      return {
        sql: `SEQUENCE ${qualify(target.sequence)}`,
        object: displayQualified(target.sequence),
        objectKind: 'sequence' as const,
        requires: [key.sequence(target.sequence)],
      };
    case 'function':
      return {
        sql: `FUNCTION ${functionSignatureSql(target.fn)}`,
        object: functionDisplay(target.fn),
        objectKind: 'function' as const,
        requires: [key.function(target.fn)],
      };
    case 'index':
      return {
        sql: `INDEX ${qualify({ schema: target.table.schema, name: target.index })}`,
        object: displayIdent(target.index),
        objectKind: 'index' as const,
        parent: displayQualified(target.table),
        requires: [key.index(target.table.schema, target.index)],
      };
    case 'constraint':
      return {
        sql: `CONSTRAINT ${quoteIdent(target.constraint)} ON ${qualify(target.table)}`,
        object: displayIdent(target.constraint),
        objectKind: 'constraint' as const,
        parent: displayQualified(target.table),
        requires: [key.constraint(target.table, target.constraint)],
      };
    case 'trigger':
      return {
        sql: `TRIGGER ${quoteIdent(target.trigger)} ON ${qualify(target.table)}`,
        object: displayIdent(target.trigger),
        objectKind: 'trigger' as const,
        parent: displayQualified(target.table),
        requires: [key.trigger(target.table, target.trigger)],
      };
    default: {
      const never: never = target;
      throw new Error(`unknown comment target ${JSON.stringify(never)}`);
    }
  }
}

export function setCommentSteps(change: ChangeOf<'set_comment'>): StepDraft[] {
  const on = commentOn(change.target);
  return [
    draft({
      sql: `COMMENT ON ${on.sql} IS ${change.comment === null ? 'NULL' : literal(change.comment)}`,
      action: 'alter',
      objectKind: on.objectKind,
      object: on.object,
      ...(on.parent !== undefined ? { parent: on.parent } : {}),
      detail: change.comment === null ? 'comment removed' : 'comment',
      change: change.kind,
      requires: on.requires,
    }),
  ];
}
