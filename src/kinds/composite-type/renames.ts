/**
 * The live model as it reads once the plan's type renames have run: PostgreSQL keeps a type's
 * OID in the columns, attributes, range subtypes and function signatures that use it, so after
 * `ALTER TYPE addr RENAME TO address` they print the new name. The diff compares the desired
 * model with this form, so a column of a renamed composite or range type (or of a renamed range's
 * multirange type) is not seen as changing type.
 */
import { displayIdent } from '../../model/ident.js';
import { nameKey } from '../../model/object-ref.js';
import { parseTypeName, TypeNameError } from '../../model/type-names.js';
import type { QualifiedName, SchemaModel } from '../../model/types.js';
import { multirangeName } from '../range-type/diff.js';

/** Live type key → its desired name, for composite and range types matched through `renamed_from`. */
function typeRenames(want: SchemaModel, have: SchemaModel): Map<string, QualifiedName> {
  const renames = new Map<string, QualifiedName>();
  const claim = <T extends QualifiedName & { readonly renamedFrom?: string }>(
    desired: readonly T[],
    live: readonly T[],
    also?: (to: T, from: T) => void,
  ): void => {
    const liveByKey = new Map(live.map((t) => [nameKey(t.schema, t.name), t]));
    const desiredKeys = new Set(desired.map((t) => nameKey(t.schema, t.name)));
    for (const to of desired) {
      if (to.renamedFrom === undefined || liveByKey.has(nameKey(to.schema, to.name))) continue;
      const fromKey = nameKey(to.schema, to.renamedFrom);
      const from = liveByKey.get(fromKey);
      if (from === undefined || desiredKeys.has(fromKey)) continue;
      renames.set(fromKey, { schema: to.schema, name: to.name });
      also?.(to, from);
    }
  };
  claim(want.compositeTypes, have.compositeTypes);
  claim(want.rangeTypes, have.rangeTypes, (to, from) => {
    const was = multirangeName(from);
    const now = multirangeName(to);
    if (was !== now) renames.set(nameKey(from.schema, was), { schema: to.schema, name: now });
  });
  return renames;
}

/** `type` with a renamed user type replaced by its new name (arrays and SETOF kept). */
function renamedType(type: string, renames: ReadonlyMap<string, QualifiedName>): string {
  const setof = /^\s*setof\s+/i.exec(type)?.[0];
  try {
    const parsed = parseTypeName(setof === undefined ? type : type.slice(setof.length));
    if (parsed.builtin) return type;
    const to = renames.get(nameKey(parsed.schema ?? 'public', parsed.name));
    if (to === undefined) return type;
    const prefix = to.schema === 'public' ? '' : `${displayIdent(to.schema)}.`;
    return `${setof !== undefined ? 'setof ' : ''}${prefix}${displayIdent(to.name)}${parsed.arrayDims > 0 ? '[]' : ''}`;
  } catch (error) {
    if (error instanceof TypeNameError) return type;
    throw error;
  }
}

/**
 * The live model `have` as the diff reads it: without the composite and range types the file
 * lists under `external_types` (managed elsewhere: never altered or dropped), and with the types
 * the desired model renames (`renamed_from` of composite and range types) printed under their new
 * names wherever they are used; `have` itself when neither applies.
 */
export function typesAfterRenames(want: SchemaModel, live: SchemaModel, external: readonly QualifiedName[] = []): SchemaModel {
  const isExternal = (t: QualifiedName): boolean => external.some((e) => e.schema === t.schema && e.name === t.name);
  const have =
    external.length > 0 && [...live.compositeTypes, ...live.rangeTypes].some(isExternal)
      ? {
          ...live,
          compositeTypes: live.compositeTypes.filter((t) => !isExternal(t)),
          rangeTypes: live.rangeTypes.filter((t) => !isExternal(t)),
        }
      : live;
  const renames = typeRenames(want, have);
  if (renames.size === 0) return have;
  const type = (t: string): string => renamedType(t, renames);
  return {
    ...have,
    tables: have.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, type: type(c.type) })) })),
    functions: have.functions.map((f) => ({
      ...f,
      arguments: f.arguments.map((a) => ({ ...a, type: type(a.type) })),
      returns: type(f.returns),
    })),
    compositeTypes: have.compositeTypes.map((t) => ({ ...t, attributes: t.attributes.map((a) => ({ ...a, type: type(a.type) })) })),
    rangeTypes: have.rangeTypes.map((r) => ({ ...r, subtype: type(r.subtype) })),
  };
}
