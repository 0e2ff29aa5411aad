/**
 * A table's storage parameters (`with:`): the strict list of the names PostgreSQL (13 to 17)
 * accepts on a table, each with its type and range, and the one canonical text of a value, from
 * the file (a YAML number or boolean) and from the catalog (pg_class.reloptions keeps the text
 * as it was written: `autovacuum_enabled=off`, `autovacuum_vacuum_scale_factor=0.10`). A value
 * reaches SQL only in its canonical form: a whole number, a decimal number, `true`/`false` or
 * one of an enum's words; never the text as written.
 */
import type { JsonSchema } from '../kind.js';

type ParameterType =
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'real'; readonly min: number; readonly max: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: Readonly<Record<string, string>> };

interface Parameter {
  readonly of: ParameterType;
  /** Also a parameter of the table's TOAST table (`toast.<name>`). */
  readonly toast: boolean;
  readonly description: string;
}

const INT_MAX = 2147483647;
const int = (min: number, max: number): ParameterType => ({ type: 'integer', min, max });
const real = (min: number, max: number): ParameterType => ({ type: 'real', min, max });
const bool: ParameterType = { type: 'boolean' };
/** vacuum_index_cleanup: PostgreSQL's words for it (reloptions.c), each read as auto, on or off. */
const INDEX_CLEANUP: ParameterType = {
  type: 'enum',
  values: { auto: 'auto', on: 'on', off: 'off', true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' },
};

/** The heap's storage parameters (PostgreSQL's reloptions.c, RELOPT_KIND_HEAP, with RELOPT_KIND_TOAST where `toast`). */
const PARAMETERS: Readonly<Record<string, Parameter>> = {
  fillfactor: { of: int(10, 100), toast: false, description: 'Percent of each page filled by INSERT (10-100).' },
  toast_tuple_target: { of: int(128, 8160), toast: false, description: 'Row length in bytes above which values are TOASTed.' },
  parallel_workers: { of: int(0, 1024), toast: false, description: 'Workers of a parallel scan of the table.' },
  autovacuum_enabled: { of: bool, toast: true, description: 'Autovacuum and autoanalyze of the table.' },
  autovacuum_vacuum_threshold: { of: int(0, INT_MAX), toast: true, description: 'Updated or deleted rows before a vacuum.' },
  autovacuum_vacuum_insert_threshold: { of: int(-1, INT_MAX), toast: true, description: 'Inserted rows before a vacuum (-1: none).' },
  autovacuum_analyze_threshold: { of: int(0, INT_MAX), toast: false, description: 'Changed rows before an analyze.' },
  autovacuum_vacuum_scale_factor: { of: real(0, 100), toast: true, description: 'Fraction of the table added to the vacuum threshold.' },
  autovacuum_vacuum_insert_scale_factor: {
    of: real(0, 100),
    toast: true,
    description: 'Fraction of the table added to the insert vacuum threshold.',
  },
  autovacuum_analyze_scale_factor: { of: real(0, 100), toast: false, description: 'Fraction of the table added to the analyze threshold.' },
  autovacuum_vacuum_cost_delay: { of: real(0, 100), toast: true, description: 'Cost delay of autovacuum, in milliseconds.' },
  autovacuum_vacuum_cost_limit: { of: int(1, 10000), toast: true, description: 'Cost limit of autovacuum.' },
  autovacuum_freeze_min_age: { of: int(0, 1000000000), toast: true, description: 'vacuum_freeze_min_age for the table.' },
  autovacuum_freeze_max_age: { of: int(100000, 2000000000), toast: true, description: 'autovacuum_freeze_max_age for the table.' },
  autovacuum_freeze_table_age: { of: int(0, 2000000000), toast: true, description: 'vacuum_freeze_table_age for the table.' },
  autovacuum_multixact_freeze_min_age: {
    of: int(0, 1000000000),
    toast: true,
    description: 'vacuum_multixact_freeze_min_age for the table.',
  },
  autovacuum_multixact_freeze_max_age: {
    of: int(10000, 2000000000),
    toast: true,
    description: 'autovacuum_multixact_freeze_max_age for the table.',
  },
  autovacuum_multixact_freeze_table_age: {
    of: int(0, 2000000000),
    toast: true,
    description: 'vacuum_multixact_freeze_table_age for the table.',
  },
  log_autovacuum_min_duration: {
    of: int(-1, INT_MAX),
    toast: true,
    description: 'Log autovacuum runs longer than this, in ms (-1: never).',
  },
  user_catalog_table: { of: bool, toast: false, description: 'A catalog table for logical decoding.' },
  vacuum_index_cleanup: { of: INDEX_CLEANUP, toast: true, description: 'Index cleanup by VACUUM: auto, on or off.' },
  vacuum_truncate: { of: bool, toast: true, description: 'VACUUM truncates empty pages at the end of the table.' },
};

/** The parameter a `with:` key names (`fillfactor`, `toast.autovacuum_enabled`), or undefined. */
function parameterOf(name: string): Parameter | undefined {
  const toast = name.startsWith('toast.');
  const parameter = Object.hasOwn(PARAMETERS, toast ? name.slice(6) : name) ? PARAMETERS[toast ? name.slice(6) : name] : undefined;
  return parameter === undefined || (toast && !parameter.toast) ? undefined : parameter;
}

/** Every name `with:` accepts, the TOAST table's with their `toast.` prefix. */
export const TABLE_PARAMETER_NAMES: readonly string[] = [
  ...Object.keys(PARAMETERS),
  ...Object.entries(PARAMETERS)
    .filter(([, p]) => p.toast)
    .map(([name]) => `toast.${name}`),
];

/** A parameter of the TOAST table (PostgreSQL keeps them in the TOAST table's reloptions). */
export const isToastParameter = (name: string): boolean => name.startsWith('toast.');

/** PostgreSQL's parse_bool: true/false, yes/no, on/off, 1/0 and their unique prefixes, in any case. */
function parseBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  if ('true'.startsWith(t) || 'yes'.startsWith(t) || t === 'on' || t === '1') return true;
  if ('false'.startsWith(t) || 'no'.startsWith(t) || t === 'off' || t === 'of' || t === '0') return false;
  return undefined;
}

/**
 * A value's one text, from the file or the catalog: `'70'`, `'0.1'`, `'true'`, `'auto'`.
 * Undefined when the name is not a table parameter or the value is not one of its values.
 *
 * @example
 * canonicalParameter('autovacuum_enabled', 'off')                  // 'false'
 * canonicalParameter('autovacuum_vacuum_scale_factor', '0.10')     // '0.1'
 * canonicalParameter('fillfactor', 7)                              // undefined (below 10)
 */
export function canonicalParameter(name: string, value: string | number | boolean): string | undefined {
  const parameter = parameterOf(name);
  if (parameter === undefined) return undefined;
  const of = parameter.of;
  const text = String(value).trim();
  switch (of.type) {
    case 'boolean': {
      const b = typeof value === 'boolean' ? value : parseBool(text);
      return b === undefined ? undefined : String(b);
    }
    case 'enum': {
      const word = of.values[text.toLowerCase()];
      return word !== undefined && Object.hasOwn(of.values, text.toLowerCase()) ? word : undefined;
    }
    case 'integer': {
      if (typeof value === 'boolean' || !/^[+-]?\d+$/.test(text)) return undefined;
      const n = Number(text);
      return n >= of.min && n <= of.max ? String(n) : undefined;
    }
    case 'real': {
      if (typeof value === 'boolean' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
      const n = Number(text);
      return Number.isFinite(n) && n >= of.min && n <= of.max ? String(n) : undefined;
    }
  }
}

/**
 * A canonical value as SQL: numbers and booleans bare, an enum's word as a literal. Only
 * `canonicalParameter`'s results reach here (digits, a decimal point, an exponent, a word of the list).
 *
 * @example parameterValueSql('vacuum_index_cleanup', 'auto')  // "'auto'"
 */
export function parameterValueSql(name: string, canonical: string): string {
  const of = parameterOf(name)?.of;
  if (of === undefined || canonicalParameter(name, canonical) !== canonical) {
    throw new Error(`storage parameter ${JSON.stringify(name)} = ${JSON.stringify(canonical)} is not a checked value`);
  }
  return of.type === 'enum' ? `'${canonical}'` : canonical;
}

/**
 * The live parameters from pg_class.reloptions (the table's and its TOAST table's, `name=value`):
 * known ones in canonical form, others as PostgreSQL has them (a plan resets them).
 */
export function liveParameters(heap: readonly string[] | undefined, toast: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (option: string, prefix: string): void => {
    const eq = option.indexOf('=');
    const name = `${prefix}${(eq < 0 ? option : option.slice(0, eq)).toLowerCase()}`;
    const value = eq < 0 ? '' : option.slice(eq + 1);
    out[name] = canonicalParameter(name, value) ?? value;
  };
  for (const option of heap ?? []) add(option, '');
  for (const option of toast ?? []) add(option, 'toast.');
  return out;
}

/** The JSON Schema of a table's `with:`: each name with its type and range, nothing else. */
export function tableParametersSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const name of TABLE_PARAMETER_NAMES) {
    const parameter = parameterOf(name)!;
    const description = isToastParameter(name) ? `${parameter.description} (of the TOAST table)` : parameter.description;
    const of = parameter.of;
    properties[name] =
      of.type === 'boolean'
        ? { description, type: 'boolean' }
        : of.type === 'enum'
          ? { description, enum: ['auto', 'on', 'off', true, false] }
          : { description, type: of.type === 'integer' ? 'integer' : 'number', minimum: of.min, maximum: of.max };
  }
  return {
    title: 'table storage parameter',
    description:
      "Storage parameters (ALTER TABLE ... SET (...)): fillfactor, toast_tuple_target, parallel_workers, autovacuum_* and the TOAST table's toast.autovacuum_*, …; a parameter left out is RESET.",
    type: 'object',
    additionalProperties: false,
    properties,
  };
}
