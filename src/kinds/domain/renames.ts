/**
 * The domains the plan renames (`renamed_from`), as the type texts columns carry: live text →
 * desired text, so that a column of a renamed domain is not seen as changing type
 * (src/diff/context.ts `typeAfterRenames`).
 */
import { nameKey } from '../../diff/match.js';
import { displayIdent } from '../../model/ident.js';
import type { Domain } from './model.js';

/** A type's text as columns carry it: unqualified in `public`, quoted where needed. */
const typeText = (schema: string, name: string): string => `${schema === 'public' ? '' : `${displayIdent(schema)}.`}${displayIdent(name)}`;

/**
 * @example
 * domainRenames([{ schema: 'public', name: 'amount', renamedFrom: 'old_amount', ... }], [{ schema: 'public', name: 'old_amount', ... }])
 * // Map { 'old_amount' => 'amount' }
 */
export function domainRenames(desired: readonly Domain[], live: readonly Domain[]): Map<string, string> {
  const renames = new Map<string, string>();
  if (!desired.some((d) => d.renamedFrom !== undefined)) return renames;
  const liveKeys = new Set(live.map((d) => nameKey(d.schema, d.name)));
  const desiredKeys = new Set(desired.map((d) => nameKey(d.schema, d.name)));
  for (const d of desired) {
    if (d.renamedFrom === undefined || liveKeys.has(nameKey(d.schema, d.name))) continue;
    const previous = nameKey(d.schema, d.renamedFrom);
    if (liveKeys.has(previous) && !desiredKeys.has(previous)) renames.set(typeText(d.schema, d.renamedFrom), typeText(d.schema, d.name));
  }
  return renames;
}
