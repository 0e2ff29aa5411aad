/**
 * The changes of sequences: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { QualifiedName, Sequence } from '../../model/types.js';

export type SequenceChange =
  | { readonly kind: 'create_sequence'; readonly sequence: Sequence }
  | { readonly kind: 'drop_sequence'; readonly sequence: Sequence }
  | { readonly kind: 'alter_sequence'; readonly from: Sequence; readonly to: Sequence }
  /**
   * ALTER SEQUENCE ... RENAME TO, same schema. The diff emits it for a sequence whose owning
   * column survives under a new name (a `serial` of a renamed table or column: the file derives
   * `<table>_<column>_seq` from the new names, PostgreSQL kept the old one). Never drop + create:
   * that would restart the numbering.
   */
  | { readonly kind: 'rename_sequence'; readonly from: QualifiedName; readonly to: QualifiedName };
