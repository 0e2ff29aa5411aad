/** Extensions: the name and version are well formed, and the schema named is a name. */
import type { Checker } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import { checkExtensionName, checkExtensionVersion } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkExtensions(c: Checker): void {
  for (const [name, options] of entries(c.raw.extensions)) {
    c.grammar(['extensions', name], checkExtensionName(name), 'key');
    if (options?.schema !== undefined) c.checkRef(['extensions', name, 'schema'], options.schema, 'schema');
    if (options?.version !== undefined) c.grammar(['extensions', name, 'version'], checkExtensionVersion(options.version));
  }
}

export const extensionChecks: readonly KindCheck[] = [{ in: 'document', check: checkExtensions }];
