/**
 * Collations: the name is a name of its schema's collations; either `locale` or both
 * `lc_collate` and `lc_ctype` are given (not both forms); an ICU collation has one locale;
 * a nondeterministic collation needs ICU.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import type { KindCheck } from '../kind.js';

function checkCollations(c: Checker, at: SchemaScope): void {
  for (const [name, raw] of entries(at.body.collations)) {
    const path = [...at.path, 'collations', name];
    c.checkName(path, name, 'collation');
    const split = raw.lc_collate !== undefined || raw.lc_ctype !== undefined;
    if (raw.locale !== undefined && split) c.report(path, `collation ${name}: give either locale or lc_collate and lc_ctype, not both`);
    else if (raw.locale === undefined && (raw.lc_collate === undefined || raw.lc_ctype === undefined))
      c.report(path, `collation ${name}: give locale, or both lc_collate and lc_ctype`);
    if (raw.provider === 'icu' && split) c.report(path, `collation ${name}: an ICU collation takes locale, not lc_collate and lc_ctype`);
    if (raw.deterministic === false && raw.provider !== 'icu')
      c.report([...path, 'deterministic'], `collation ${name}: only an ICU collation can be nondeterministic`);
  }
}

export const collationChecks: readonly KindCheck[] = [{ in: 'schema', check: checkCollations }];
