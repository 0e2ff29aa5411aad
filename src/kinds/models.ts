/**
 * The kinds' model parts as the model's drivers walk them (`emptyModel` here, `normalizeModel`
 * in src/model/normalize.ts, `fingerprintModel` and `objectFingerprints` in
 * src/model/fingerprint.ts): each list of the model with the kinds whose objects live in its
 * objects, in registry order.
 */
import type { SchemaModel } from '../model/types.js';
import type { KindName, ModelAttribute, ModelList, ModelMember } from './kind.js';
import { KINDS } from './registry.js';

/**
 * Compiles only while every kind states its model part's type (`ObjectKind<C, typeof xModel, typeof xRefs, 'x'>`):
 * a kind left at the default would give SchemaModel a `string` index.
 */
const everyModelPartTyped: string extends keyof SchemaModel ? never : true = true;
void everyModelPartTyped;

/** One list of the model: its kind's part, and the parts of the kinds within its objects. */
export interface ModelListEntry {
  readonly kind: KindName;
  readonly list: ModelList<keyof SchemaModel, unknown>;
  readonly members: readonly ModelMember<unknown>[];
}

/**
 * The lists of the model, in registry order (the order of SchemaModel's properties).
 *
 * @example
 * modelLists().map((l) => l.list.property)  // ['extensions', 'schemas', 'enums', 'sequences', 'functions', 'tables']
 */
export function modelLists(): readonly ModelListEntry[] {
  lists ??= collectLists();
  return lists;
}

let lists: readonly ModelListEntry[] | undefined;

function collectLists(): readonly ModelListEntry[] {
  // The parts as one type: each list's hooks take the items of its own property, which the
  // drivers pass them (a union of the kinds' parts cannot say so).
  const parts = KINDS.map((k) => ({ kind: k.name, model: k.model })) as readonly {
    readonly kind: KindName;
    readonly model: ModelList<keyof SchemaModel, unknown> | ModelMember<unknown> | ModelAttribute;
  }[];
  const out: ModelListEntry[] = [];
  for (const { kind, model } of parts) {
    if (!('property' in model)) continue;
    const members = parts.flatMap((p) => ('within' in p.model && p.model.within === kind ? [p.model] : []));
    out.push({ kind, list: model, members });
  }
  for (const { kind, model } of parts)
    if ('within' in model && !out.some((l) => l.kind === model.within))
      throw new Error(`the ${kind} kind's objects are within ${model.within}, which is no list of the model`);
  return out;
}

/** An empty model: every list of the registry, empty. */
export const emptyModel = (): SchemaModel =>
  Object.fromEntries(modelLists().map(({ list }) => [list.property, []])) as unknown as SchemaModel;
