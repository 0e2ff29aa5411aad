/**
 * Enums, keyed by (schema, name). Declared label renames run first; then labels are added in
 * place when every live label keeps its relative order, else the type is replaced (new type,
 * columns converted, old type dropped).
 */
import type { Column, EnumType, QualifiedName } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { matchObjects, nameKey } from '../../diff/match.js';
import { displayQualified } from '../../model/ident.js';
import type { TableMatching, TablePair } from '../table/diff.js';

/** The columns of kept tables typed with an enum (or an array of it). */
export type EnumColumnsLookup = (type: EnumType) => readonly { readonly table: QualifiedName; readonly column: Column }[];

/** The enum kind's diff (`ObjectKind.diff`). */
export const enumDiff: ModelKindDiff = { scope: 'model', run: (d) => diffEnums(d.want.enums, d.have.enums, enumColumns(d.tables)) };

/**
 * @param columnsOf the columns a `replace_enum` must convert
 * @example
 * diffEnums([{ schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'] }],
 *           [{ schema: 'public', name: 'mood', values: ['sad', 'happy'] }], () => [])
 * // [{ kind: 'add_enum_value', value: 'ok', after: 'sad', ... }]
 */
export function diffEnums(desired: readonly EnumType[], live: readonly EnumType[], columnsOf: EnumColumnsLookup): Change[] {
  const key = (e: EnumType): string => nameKey(e.schema, e.name);
  const matching = matchObjects(desired, live, { desired: key, live: key });
  const changes: Change[] = [];
  for (const type of matching.added) {
    changes.push({ kind: 'create_enum', enum: type });
    changes.push(...diffComment({ on: 'enum', type: qualifiedName(type) }, type.comment, undefined));
  }
  for (const { desired: to, live: from } of matching.pairs) {
    const valueChanges = diffEnumValues(to, from, columnsOf);
    changes.push(...valueChanges);
    const replaced = valueChanges.some((c) => c.kind === 'replace_enum');
    changes.push(...diffComment({ on: 'enum', type: qualifiedName(to) }, to.comment, replaced ? undefined : from.comment));
  }
  for (const type of matching.removed) changes.push({ kind: 'drop_enum', enum: type });
  return changes;
}

function qualifiedName(type: EnumType): QualifiedName {
  return { schema: type.schema, name: type.name };
}

/**
 * The label changes of one enum: renames, then in-place additions (each positioned next to a
 * neighbour that exists by the time it runs), or one `replace_enum` whose `from` lists the
 * live labels as they read after the renames (which run first).
 */
function diffEnumValues(desired: EnumType, live: EnumType, columnsOf: EnumColumnsLookup): Change[] {
  const changes: Change[] = [];
  const labels = [...live.values];
  const renames = desired.renamedValues ?? {};
  for (const label of desired.values) {
    const previous = renames[label];
    if (previous === undefined || labels.includes(label)) continue;
    const at = labels.indexOf(previous);
    if (at < 0) continue;
    changes.push({ kind: 'rename_enum_value', enum: desired, from: previous, to: label });
    labels[at] = label;
  }

  const position = new Map<string, number>();
  desired.values.forEach((label, i) => position.set(label, i));
  let last = -1;
  let inOrder = true;
  for (const label of labels) {
    const at = position.get(label);
    if (at === undefined || at <= last) {
      inOrder = false;
      break;
    }
    last = at;
  }

  if (!inOrder) {
    const kept = new Set(desired.values);
    changes.push({
      kind: 'replace_enum',
      from: { ...live, values: labels },
      to: desired,
      removedValues: labels.filter((label) => !kept.has(label)),
      columns: columnsOf(desired),
    });
    return changes;
  }

  const existing = new Set(labels);
  const values = desired.values;
  const firstExisting = values.findIndex((label) => existing.has(label));
  // Labels before the first existing one: each goes before its successor, added back to front.
  const leading = firstExisting < 0 ? 0 : firstExisting;
  for (let i = leading - 1; i >= 0; i -= 1) {
    const value = values[i];
    const next = values[i + 1];
    if (value !== undefined && next !== undefined) changes.push({ kind: 'add_enum_value', enum: desired, value, before: next });
  }
  // The rest: each goes after its predecessor, front to back.
  for (let i = leading; i < values.length; i += 1) {
    const value = values[i];
    if (value === undefined || existing.has(value)) continue;
    const previous = i > 0 ? values[i - 1] : undefined;
    changes.push(
      previous === undefined
        ? { kind: 'add_enum_value', enum: desired, value }
        : { kind: 'add_enum_value', enum: desired, value, after: previous },
    );
  }
  return changes;
}

/** Strips array brackets: `app.mood[]` → `app.mood`. */
function elementType(type: string): string {
  let base = type;
  while (base.endsWith('[]')) base = base.slice(0, -2);
  return base;
}

/**
 * The columns a replaced enum's conversion must cover: columns of desired tables that exist
 * live (a new table or column is created with the new type), typed with the enum or an
 * array of it. Ordered by table, then the table's column order.
 */
export function enumColumns(tables: TableMatching): EnumColumnsLookup {
  let sorted: readonly TablePair[] | undefined;
  return (type: EnumType) => {
    sorted ??= [...tables.pairs].sort((a, b) => {
      const x = nameKey(a.desired.schema, a.desired.name);
      const y = nameKey(b.desired.schema, b.desired.name);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const typeName = displayQualified(type);
    const found: { table: QualifiedName; column: Column }[] = [];
    for (const pair of sorted) {
      const existing = new Set(pair.columns.pairs.map((p) => p.desired));
      for (const column of pair.desired.columns) {
        if (existing.has(column) && elementType(column.type) === typeName) found.push({ table: pair.scope.table, column });
      }
    }
    return found;
  };
}
