/** Schemas: `CREATE SCHEMA`, `DROP SCHEMA` (`public` always exists; the ledger's schema is never touched). */
import { createSchemaSteps, dropSchemaSteps } from './steps.js';
import { added, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { schemaCommentOn } from './comment-on.js';
import type { SchemaChange } from './changes.js';
import { schemaRefs } from './refs.js';
import { schemaDiff } from './diff.js';
import { schemaFormat } from './format-schema.js';
import { schemaIntrospect } from './introspect.js';
import { schemaModel } from './model.js';
import { schemaRaw } from './raw.js';
import { schemaChecks } from './checks.js';
import { schemaPull } from './pull.js';

export const schemaKind: ObjectKind<SchemaChange, typeof schemaModel, typeof schemaRefs, 'schema'> = {
  name: 'schema',
  format: schemaFormat,
  introspect: schemaIntrospect,
  model: schemaModel,
  raw: schemaRaw,
  checks: schemaChecks,
  pull: schemaPull,
  refs: schemaRefs,
  diff: schemaDiff,
  phase: { create: 1, drop: 19 },
  commentOn: schemaCommentOn,
  changes: {
    create_schema: {
      steps: (c) => createSchemaSteps(c),
      target: (c) => ({ kind: 'schema', name: c.schema.name }),
      sortKey: (c) => c.schema.name,
      describe: (c) => added(c.schema.name, 'schema', c.schema),
    },
    drop_schema: {
      steps: (c) => dropSchemaSteps(c),
      target: (c) => ({ kind: 'schema', name: c.schema.name }),
      sortKey: (c) => c.schema.name,
      describe: (c) => dropped(c.schema.name, 'schema', c.schema),
    },
  },
  drops: ['drop_schema'],
};
