/**
 * The changes of domains: plain data naming the object, with the model objects the plan needs.
 * src/diff/changes.ts joins every kind's into `Change`. ALTER DOMAIN changes the default, NOT
 * NULL, the checks and the name; a new base type or collation means a new domain
 * (`replace_domain`), possible only while nothing uses it.
 */
import type { QualifiedName } from '../../model/types.js';
import type { Domain, DomainCheck } from './model.js';

export type DomainAttribute = 'default' | 'not_null';

export type DomainChange =
  | { readonly kind: 'create_domain'; readonly domain: Domain }
  | { readonly kind: 'drop_domain'; readonly domain: Domain }
  | { readonly kind: 'rename_domain'; readonly from: QualifiedName; readonly to: Domain }
  | { readonly kind: 'alter_domain'; readonly from: Domain; readonly to: Domain; readonly attribute: DomainAttribute }
  /** `domainIsNew`: added right after its CREATE DOMAIN (a NOT VALID check of a new domain). */
  | { readonly kind: 'add_domain_check'; readonly domain: Domain; readonly check: DomainCheck; readonly domainIsNew: boolean }
  | { readonly kind: 'drop_domain_check'; readonly domain: Domain; readonly check: DomainCheck }
  | { readonly kind: 'validate_domain_check'; readonly domain: Domain; readonly check: DomainCheck }
  /** A new base type or collation: dropped and created (refused while columns or functions use it). */
  | { readonly kind: 'replace_domain'; readonly from: Domain; readonly to: Domain; readonly what: readonly ('type' | 'collation')[] };
