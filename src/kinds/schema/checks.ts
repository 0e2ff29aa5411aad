/** Schemas: each name is a name and not reserved; then every kind's checks of the schema's body. */
import type { Checker, DocumentScope } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import type { KindCheck } from '../kind.js';

function checkSchemas(c: Checker, at: DocumentScope): void {
  for (const [schema, body] of entries(c.raw.schemas)) {
    c.checkName(['schemas', schema], schema, 'schema');
    if (schema.startsWith('pg_')) c.report(['schemas', schema], `schema names starting with "pg_" are reserved for PostgreSQL`, 'key');
    if (body !== null) at.checkSchema(schema, body);
  }
}

export const schemaChecks: readonly KindCheck[] = [{ in: 'document', check: checkSchemas }];
