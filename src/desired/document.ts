/**
 * The shape of a desired-state document once it has passed the JSON Schema
 * (schema/pgreconcile.schema.json): plain data exactly as written in the YAML file, before any
 * defaulting or canonicalisation. Each kind's raw types live in its folder
 * (src/kinds/<kind>/raw.ts), the document's own in src/kinds/raw.ts; this module re-exports
 * them for the stages that read documents.
 */
export type { RawDocument, RawInteger } from '../kinds/raw.js';
export { entries } from '../kinds/raw.js';
export type { RawExtension } from '../kinds/extension/raw.js';
export type { RawSchema } from '../kinds/schema/raw.js';
export type { RawEnum, RawEnumValue } from '../kinds/enum/raw.js';
export type { RawSequence } from '../kinds/sequence/raw.js';
export type { RawFunction, RawFunctionArgument } from '../kinds/function/raw.js';
export type { RawTable } from '../kinds/table/raw.js';
export type { RawColumn, RawIdentity } from '../kinds/column/raw.js';
export type {
  RawCheck,
  RawExclusion,
  RawExclusionElement,
  RawFkAction,
  RawForeignKey,
  RawPrimaryKey,
  RawUnique,
} from '../kinds/constraint/raw.js';
export { isColumnList, primaryKeyColumns } from '../kinds/constraint/raw.js';
export type { RawIndex, RawIndexKey } from '../kinds/index/raw.js';
export type { RawTrigger, RawTriggerEvent } from '../kinds/trigger/raw.js';
