/** Steps for schemas: create, drop. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, quoteIdent } from '../../model/ident.js';
import { key } from '../../plan/references.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';

export function createSchemaSteps(change: ChangeOf<'create_schema'>): StepDraft[] {
  return [
    draft({
      sql: `CREATE SCHEMA ${quoteIdent(change.schema.name)}`,
      action: 'create',
      objectKind: 'schema' as const,
      object: displayIdent(change.schema.name),
      change: change.kind,
      creates: [key.schema(change.schema.name)],
    }),
  ];
}

export function dropSchemaSteps(change: ChangeOf<'drop_schema'>): StepDraft[] {
  return [
    draft({
      sql: `DROP SCHEMA ${quoteIdent(change.schema.name)}`,
      hazards: [{ kind: 'deletes_data', message: `schema ${change.schema.name} is dropped` }],
      action: 'drop',
      objectKind: 'schema' as const,
      object: displayIdent(change.schema.name),
      change: change.kind,
      drops: [key.schema(change.schema.name)],
    }),
  ];
}
