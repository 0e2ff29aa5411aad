/** Steps for extensions: create, alter (version, schema), drop. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, quoteIdent } from '../../model/ident.js';
import { key } from '../../plan/references.js';
import { literal } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { untrackable } from '../../plan/hazards.js';

export function createExtensionSteps(change: ChangeOf<'create_extension'>): StepDraft[] {
  const e = change.extension;
  let sql = `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)}`;
  if (e.schema !== undefined) sql += ` WITH SCHEMA ${quoteIdent(e.schema)}`;
  if (e.version !== undefined) sql += ` VERSION ${literal(e.version)}`;
  return [
    draft({
      sql,
      action: 'create',
      objectKind: 'extension' as const,
      object: displayIdent(e.name),
      change: change.kind,
      creates: [key.extension(e.name)],
      requires: e.schema !== undefined ? [key.schema(e.schema)] : [],
    }),
  ];
}

export function dropExtensionSteps(change: ChangeOf<'drop_extension'>): StepDraft[] {
  const e = change.extension;
  return [
    draft({
      sql: `DROP EXTENSION ${quoteIdent(e.name)}`,
      hazards: [untrackable(`extension ${e.name} is dropped`)],
      action: 'drop',
      objectKind: 'extension' as const,
      object: displayIdent(e.name),
      change: change.kind,
      drops: [key.extension(e.name)],
      // Before the drop of the schema it lives in.
      liveRequires: e.schema !== undefined ? [key.schema(e.schema)] : [],
    }),
  ];
}

export function alterExtensionSteps(change: ChangeOf<'alter_extension'>): StepDraft[] {
  const { from, to } = change;
  const steps: StepDraft[] = [];
  const base = {
    action: 'alter' as const,
    objectKind: 'extension' as const,
    object: displayIdent(to.name),
    change: change.kind,
  };
  if (to.version !== undefined && to.version !== from.version) {
    steps.push(
      draft({
        ...base,
        sql: `ALTER EXTENSION ${quoteIdent(to.name)} UPDATE TO ${literal(to.version)}`,
        detail: `version ${from.version ?? '?'} → ${to.version}`,
        hazards: [untrackable(`extension ${to.name} is updated`)],
      }),
    );
  }
  if (to.schema !== undefined && to.schema !== from.schema && from.relocatable === false) {
    // PostgreSQL refuses SET SCHEMA for an extension that is not relocatable: drop and create.
    let create = `CREATE EXTENSION ${quoteIdent(to.name)} WITH SCHEMA ${quoteIdent(to.schema)}`;
    if (to.version !== undefined) create += ` VERSION ${literal(to.version)}`;
    return [
      draft({
        ...base,
        sql: `DROP EXTENSION ${quoteIdent(to.name)}`,
        detail: `not relocatable: dropped to move from schema ${from.schema ?? '?'} to ${to.schema}`,
        hazards: [
          {
            kind: 'deletes_data',
            message: `extension ${to.name} cannot be relocated: it is dropped and created again in schema ${to.schema}, and the data of its own tables (configuration rows added since it was created) is lost`,
          },
          untrackable(`extension ${to.name} is dropped and created again; the drop fails while columns, indexes or functions depend on it`),
        ],
        drops: [key.extension(to.name)],
        liveRequires: from.schema !== undefined ? [key.schema(from.schema)] : [],
      }),
      draft({
        ...base,
        sql: create,
        detail: `created again in schema ${to.schema}`,
        creates: [key.extension(to.name)],
        requires: [key.schema(to.schema)],
      }),
    ];
  }
  if (to.schema !== undefined && to.schema !== from.schema) {
    steps.push(
      draft({
        ...base,
        sql: `ALTER EXTENSION ${quoteIdent(to.name)} SET SCHEMA ${quoteIdent(to.schema)}`,
        detail: `schema ${from.schema ?? '?'} → ${to.schema}`,
        hazards: [untrackable(`extension ${to.name} moves to schema ${to.schema}`)],
        requires: [key.schema(to.schema)],
      }),
    );
  }
  return steps;
}
