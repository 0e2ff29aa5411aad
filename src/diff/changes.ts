/**
 * The closed set of changes the diff produces. Each is plain data naming the object and
 * carrying the before/after model objects it needs; turning a change into SQL, hazards and
 * ordering is the plan's job (src/plan/), never the diff's.
 */
import type {
  CheckConstraint,
  Column,
  EnumType,
  ExclusionConstraint,
  Extension,
  ForeignKey,
  FunctionDef,
  Index,
  PrimaryKey,
  QualifiedName,
  SchemaDef,
  Sequence,
  Table,
  Trigger,
  TriggerEnabled,
  UniqueConstraint,
} from '../model/types.js';

/** Which attributes of a column differ. */
export type ColumnAttribute = 'type' | 'nullable' | 'default' | 'identity' | 'generated' | 'collation';

/** What a comment is attached to. */
export type CommentTarget =
  | { readonly on: 'schema'; readonly schema: string }
  | { readonly on: 'table'; readonly table: QualifiedName }
  | { readonly on: 'column'; readonly table: QualifiedName; readonly column: string }
  | { readonly on: 'enum'; readonly type: QualifiedName }
  | { readonly on: 'sequence'; readonly sequence: QualifiedName }
  | { readonly on: 'function'; readonly fn: FunctionDef }
  | { readonly on: 'index'; readonly table: QualifiedName; readonly index: string }
  | { readonly on: 'constraint'; readonly table: QualifiedName; readonly constraint: string }
  | { readonly on: 'trigger'; readonly table: QualifiedName; readonly trigger: string };

export type ConstraintKind = 'primary_key' | 'unique' | 'check' | 'foreign_key';

export type Change =
  // extensions
  | { readonly kind: 'create_extension'; readonly extension: Extension }
  | { readonly kind: 'drop_extension'; readonly extension: Extension }
  | { readonly kind: 'alter_extension'; readonly from: Extension; readonly to: Extension }
  // schemas
  | { readonly kind: 'create_schema'; readonly schema: SchemaDef }
  | { readonly kind: 'drop_schema'; readonly schema: SchemaDef }
  // enums
  | { readonly kind: 'create_enum'; readonly enum: EnumType }
  | { readonly kind: 'drop_enum'; readonly enum: EnumType }
  /** ALTER TYPE ... ADD VALUE, at the declared position. */
  | {
      readonly kind: 'add_enum_value';
      readonly enum: EnumType;
      readonly value: string;
      readonly before?: string;
      readonly after?: string;
    }
  | { readonly kind: 'rename_enum_value'; readonly enum: EnumType; readonly from: string; readonly to: string }
  /** Values removed or reordered: new type, columns converted, old type dropped. */
  | {
      readonly kind: 'replace_enum';
      readonly from: EnumType;
      readonly to: EnumType;
      readonly removedValues: readonly string[];
      /** Every column (in desired tables) whose type is this enum or an array of it. */
      readonly columns: readonly { readonly table: QualifiedName; readonly column: Column }[];
    }
  // sequences
  | { readonly kind: 'create_sequence'; readonly sequence: Sequence }
  | { readonly kind: 'drop_sequence'; readonly sequence: Sequence }
  | { readonly kind: 'alter_sequence'; readonly from: Sequence; readonly to: Sequence }
  /**
   * ALTER SEQUENCE ... RENAME TO, same schema. The diff emits it for a sequence whose owning
   * column survives under a new name (a `serial` of a renamed table or column: the file derives
   * `<table>_<column>_seq` from the new names, PostgreSQL kept the old one). Never drop + create:
   * that would restart the numbering.
   */
  | { readonly kind: 'rename_sequence'; readonly from: QualifiedName; readonly to: QualifiedName }
  // functions
  | { readonly kind: 'create_function'; readonly fn: FunctionDef }
  | { readonly kind: 'replace_function'; readonly from: FunctionDef; readonly to: FunctionDef }
  /** `calls`: a kept function dropped to be created again because its body uses this re-created one. */
  | { readonly kind: 'drop_function'; readonly fn: FunctionDef; readonly calls?: FunctionDef }
  // tables
  | { readonly kind: 'create_table'; readonly table: Table }
  | { readonly kind: 'drop_table'; readonly table: Table }
  | { readonly kind: 'rename_table'; readonly from: QualifiedName; readonly to: QualifiedName }
  // columns (table is the desired table name after any rename)
  | { readonly kind: 'add_column'; readonly table: QualifiedName; readonly column: Column }
  | { readonly kind: 'drop_column'; readonly table: QualifiedName; readonly column: Column }
  | { readonly kind: 'rename_column'; readonly table: QualifiedName; readonly from: string; readonly to: string }
  | {
      readonly kind: 'alter_column';
      readonly table: QualifiedName;
      readonly from: Column;
      readonly to: Column;
      readonly attributes: readonly ColumnAttribute[];
    }
  // constraints (on tables that exist on both sides; a new table carries its own)
  | { readonly kind: 'add_primary_key'; readonly table: QualifiedName; readonly primaryKey: PrimaryKey }
  | { readonly kind: 'drop_primary_key'; readonly table: QualifiedName; readonly primaryKey: PrimaryKey }
  | { readonly kind: 'add_unique'; readonly table: QualifiedName; readonly unique: UniqueConstraint }
  | { readonly kind: 'drop_unique'; readonly table: QualifiedName; readonly unique: UniqueConstraint }
  | { readonly kind: 'add_check'; readonly table: QualifiedName; readonly check: CheckConstraint }
  | { readonly kind: 'drop_check'; readonly table: QualifiedName; readonly check: CheckConstraint }
  /** A live NOT VALID check or FK that the file wants valid. */
  | {
      readonly kind: 'validate_constraint';
      readonly table: QualifiedName;
      readonly constraint: string;
      readonly constraintKind: 'check' | 'foreign_key';
    }
  | { readonly kind: 'add_foreign_key'; readonly table: QualifiedName; readonly foreignKey: ForeignKey; readonly tableIsNew: boolean }
  | { readonly kind: 'drop_foreign_key'; readonly table: QualifiedName; readonly foreignKey: ForeignKey }
  /** An exclusion constraint added (also on a new table: after its columns) or dropped; a changed one is a drop + add. */
  | { readonly kind: 'add_exclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionConstraint }
  | { readonly kind: 'drop_exclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionConstraint }
  | {
      readonly kind: 'rename_constraint';
      readonly table: QualifiedName;
      readonly constraintKind: ConstraintKind;
      readonly from: string;
      readonly to: string;
    }
  // indexes
  | { readonly kind: 'create_index'; readonly table: QualifiedName; readonly index: Index; readonly tableIsNew: boolean }
  | { readonly kind: 'drop_index'; readonly table: QualifiedName; readonly index: Index }
  /** Same name, different definition: build under a temporary name, swap, never drop first. */
  | { readonly kind: 'replace_index'; readonly table: QualifiedName; readonly from: Index; readonly to: Index }
  | { readonly kind: 'rename_index'; readonly table: QualifiedName; readonly from: string; readonly to: string }
  // triggers
  | { readonly kind: 'create_trigger'; readonly table: QualifiedName; readonly trigger: Trigger }
  | { readonly kind: 'drop_trigger'; readonly table: QualifiedName; readonly trigger: Trigger }
  /** Drop and create in one transaction. */
  | { readonly kind: 'replace_trigger'; readonly table: QualifiedName; readonly from: Trigger; readonly to: Trigger }
  | { readonly kind: 'rename_trigger'; readonly table: QualifiedName; readonly from: string; readonly to: string }
  | {
      readonly kind: 'set_trigger_enabled';
      readonly table: QualifiedName;
      readonly trigger: string;
      readonly enabled: TriggerEnabled;
    }
  // comments
  | { readonly kind: 'set_comment'; readonly target: CommentTarget; readonly comment: string | null };

export type ChangeKind = Change['kind'];
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;
