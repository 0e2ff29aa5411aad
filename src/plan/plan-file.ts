/**
 * Plans are artifacts (docs/architecture.md rule 5): a YAML file in `plans/` holding the format version,
 * tool version, creation time, the desired state's hash, the fingerprint of the live schema it
 * was computed against, the ordered steps (SQL as written, hazards, transaction group,
 * timeouts; since format 2 also each step's target, keys and effect), and a checksum over all of it.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { readUserFile } from '../util/files.js';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { sha256, stableStringify } from '../model/fingerprint.js';

/**
 * The YAML library, loaded on first use: a plan without `--out` neither writes nor reads a plan
 * file, and loading the library costs a start-up 30-50 ms of CPU (docs/bench.md, "Start-up").
 */
let yamlLib: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
import { toolVersion } from '../version.js';
import type { Plan, PlanStep } from './build-plan.js';
import { PLAN_FORMAT_VERSION, planHazardKinds } from './build-plan.js';
import { format1Effect } from './format-1.js';
import type { ObjectRef, RefKind } from '../model/object-ref.js';
import { REF_KINDS, STEP_OBJECT_KINDS } from '../kinds/registry.js';
import { isHazardKind, type HazardKind } from './hazards.js';
import { DDL, deletesToFile, type DeletedData, type StepAction, type StepChange, type StepEffect, type StepWord } from './step-draft.js';
import { DATA_CHANGE_ID } from '../data-changes/model.js';
import { PASSWORD_ENV } from '../kinds/role/model.js';
import type { DesiredState } from '../model/types.js';
import { emptyModel } from '../kinds/models.js';
import { parseRehearsal, type Rehearsal } from './rehearsal-record.js';

export const PLAN_FILE_FORMAT = 'pgreconcile-plan';

export interface PlanApproval {
  readonly by: string;
  readonly at: string;
  readonly allowed_hazards: readonly HazardKind[];
}

/** A plan as stored: the plan plus its identity, provenance and checksum. */
export interface PlanDocument {
  /** The version this plan records in the ledger: `<UTC timestamp>_<slug>`. */
  readonly id: string;
  readonly toolVersion: string;
  readonly createdAt: string;
  /** The target, password redacted. */
  readonly database: string;
  readonly plan: Plan;
  readonly approval?: PlanApproval;
  /**
   * Per-object fingerprints of the live schema the plan was computed against
   * (`objectFingerprints`), so that a stale plan can say which objects changed.
   */
  readonly objectFingerprints?: Readonly<Record<string, string>>;
  /**
   * The desired state the plan was computed from (`encodeDesiredState`): what apply records in
   * the ledger and verifies the database against after the last step. Read it with
   * `planDesiredState(doc)`.
   */
  readonly desiredSnapshot?: string;
  /** A rollback plan: the ledger version whose desired state it returns to (`rollback_to`). */
  readonly rollbackTo?: string;
  /** The rehearsal on a scratch database (`plan --rehearse`), when one was run before the file was written. */
  readonly rehearsal?: Rehearsal;
  readonly checksum: string;
}

/** Extra content `newPlanDocument` records when given. */
export interface PlanDocumentExtras {
  readonly objectFingerprints?: Readonly<Record<string, string>>;
  readonly desired?: DesiredState;
  /** A rollback plan: the version it returns to; also names the plan `<UTC>_rollback-to-<version>`. */
  readonly rollbackTo?: string;
  /** The rehearsal of the plan on a scratch database. */
  readonly rehearsal?: Rehearsal;
}

const SNAPSHOT_PREFIX = 'gzip+base64:';

/**
 * The desired state as one line of text for a plan file: gzip-compressed JSON, base64.
 *
 * @example
 * decodeDesiredState(encodeDesiredState(desired)).model  // deep-equals desired.model
 */
export function encodeDesiredState(desired: DesiredState): string {
  const { model, ignore, external, externalTypes, dataChanges, source } = desired;
  const json = JSON.stringify({
    model,
    ignore,
    external,
    ...(externalTypes ? { externalTypes } : {}),
    ...(dataChanges && dataChanges.length > 0 ? { dataChanges } : {}),
    ...(source ? { source } : {}),
  });
  return SNAPSHOT_PREFIX + gzipSync(Buffer.from(json, 'utf8')).toString('base64');
}

/** The desired state from `encodeDesiredState`'s text; a `PlanFileError` when it is not one. */
export function decodeDesiredState(text: string): DesiredState {
  if (!text.startsWith(SNAPSHOT_PREFIX)) throw new PlanFileError('the desired-state snapshot of the plan file is not in a known encoding');
  try {
    const value = JSON.parse(gunzipSync(Buffer.from(text.slice(SNAPSHOT_PREFIX.length), 'base64')).toString('utf8')) as DesiredState;
    if (typeof value !== 'object' || value === null || typeof value.model !== 'object' || !Array.isArray(value.ignore))
      throw new Error('not a desired state');
    // A state recorded before a kind existed has no list for it.
    return { ...value, model: { ...emptyModel(), ...value.model }, external: value.external ?? [] };
  } catch (error) {
    throw new PlanFileError(`the desired-state snapshot of the plan file cannot be read (${(error as Error).message})`);
  }
}

/** The desired state a plan document was computed from, when it records one. */
export function planDesiredState(doc: PlanDocument): DesiredState | undefined {
  return doc.desiredSnapshot === undefined ? undefined : decodeDesiredState(doc.desiredSnapshot);
}

import { PlanFileError } from './errors.js';

export { deletesToFile };

export { PlanFileError };

/** An ObjectRef as the file writes it (its own keys; absent fields left out). */
function refToFile(r: ObjectRef): Record<string, unknown> {
  return {
    kind: r.kind,
    ...(r.schema !== undefined ? { schema: r.schema } : {}),
    name: r.name,
    ...(r.sub !== undefined ? { sub: r.sub } : {}),
    ...(r.signature !== undefined ? { signature: [...r.signature] } : {}),
  };
}

function effectToFile(e: StepEffect): Record<string, unknown> {
  switch (e.kind) {
    case 'ddl':
      return { kind: e.kind };
    case 'build_index':
    case 'drop_index':
      return { kind: e.kind, index: refToFile(e.index), concurrently: e.concurrently };
    case 'add_enum_value':
      return { kind: e.kind, type: refToFile(e.type), value: e.value };
    case 'role_password':
      return { kind: e.kind, role: e.role, env: e.env };
    case 'data_change':
      return {
        kind: e.kind,
        id: e.id,
        checksum: e.checksum,
        ...(e.script === true ? { script: true } : {}),
        ...(e.batch !== undefined
          ? { batch: { table: { schema: e.batch.table.schema, name: e.batch.table.name }, key: e.batch.key, size: e.batch.size } }
          : {}),
      };
  }
}

/**
 * A step as the file holds it. Format 1 (a plan read from an older file, kept as it was so that
 * its checksum still verifies) has no target, keys or effect.
 */
function stepToFile(s: PlanStep, formatVersion: number): Record<string, unknown> {
  const structure =
    formatVersion === 1
      ? {}
      : {
          ...(s.target !== undefined ? { target: refToFile(s.target) } : {}),
          creates: [...s.creates],
          drops: [...s.drops],
          requires: [...s.requires],
          effect: effectToFile(s.effect),
        };
  return {
    n: s.n,
    action: s.action,
    object_kind: s.objectKind,
    object: s.object,
    ...(s.parent !== undefined ? { parent: s.parent } : {}),
    ...(s.detail !== undefined ? { detail: s.detail } : {}),
    change: s.change,
    transactional: s.transactional,
    group: s.group,
    lock_timeout_ms: s.lockTimeoutMs,
    statement_timeout_ms: s.statementTimeoutMs,
    hazards: s.hazards.map((h) => ({ kind: h.kind, message: h.message })),
    ...(s.deletes !== undefined ? { deletes: deletesToFile(s.deletes) } : {}),
    ...structure,
    sql: s.sql,
  };
}

function refFromFile(raw: unknown, what: string, path: string): ObjectRef {
  const r = need(raw, isRecord, what, path);
  const kind = need(r.kind, isString, `${what}.kind`, path);
  if (!(REF_KINDS as readonly string[]).includes(kind))
    throw new PlanFileError(`${path}: ${what} has an unknown kind ${JSON.stringify(kind)}`);
  return {
    kind: kind as RefKind,
    ...(r.schema !== undefined ? { schema: need(r.schema, isString, `${what}.schema`, path) } : {}),
    name: need(r.name, isString, `${what}.name`, path),
    ...(r.sub !== undefined ? { sub: need(r.sub, isString, `${what}.sub`, path) } : {}),
    ...(r.signature !== undefined
      ? { signature: need(r.signature, isArray, `${what}.signature`, path).map((t) => need(t, isString, `${what}.signature[]`, path)) }
      : {}),
  };
}

function effectFromFile(raw: unknown, what: string, path: string): StepEffect {
  const e = need(raw, isRecord, what, path);
  switch (e.kind) {
    case 'ddl':
      return DDL;
    case 'build_index':
    case 'drop_index':
      return {
        kind: e.kind,
        index: refFromFile(e.index, `${what}.index`, path),
        concurrently: need(e.concurrently, isBoolean, `${what}.concurrently`, path),
      };
    case 'add_enum_value':
      return { kind: e.kind, type: refFromFile(e.type, `${what}.type`, path), value: need(e.value, isString, `${what}.value`, path) };
    case 'role_password': {
      const env = need(e.env, isString, `${what}.env`, path);
      if (!PASSWORD_ENV.test(env))
        throw new PlanFileError(`${path}: ${what}.env ${JSON.stringify(env)} is not an environment variable name`);
      return { kind: e.kind, role: need(e.role, isString, `${what}.role`, path), env };
    }
    case 'data_change': {
      const id = need(e.id, isString, `${what}.id`, path);
      if (!DATA_CHANGE_ID.test(id)) throw new PlanFileError(`${path}: ${what}.id ${JSON.stringify(id)} is not a data change id`);
      const checksum = need(e.checksum, isString, `${what}.checksum`, path);
      const script = e.script === true ? { script: true as const } : {};
      if (e.batch === undefined) return { kind: 'data_change', id, checksum, ...script };
      const b = need(e.batch, isRecord, `${what}.batch`, path);
      const t = need(b.table, isRecord, `${what}.batch.table`, path);
      const size = need(b.size, isNumber, `${what}.batch.size`, path);
      if (!Number.isInteger(size) || size < 1) throw new PlanFileError(`${path}: ${what}.batch.size is not a whole number of rows`);
      return {
        kind: 'data_change',
        id,
        checksum,
        ...script,
        batch: {
          table: {
            schema: need(t.schema, isString, `${what}.batch.table.schema`, path),
            name: need(t.name, isString, `${what}.batch.table.name`, path),
          },
          key: need(b.key, isString, `${what}.batch.key`, path),
          size,
        },
      };
    }
    default:
      throw new PlanFileError(`${path}: ${what} has an unknown kind ${JSON.stringify(e.kind)}`);
  }
}

const keysFromFile = (raw: unknown, what: string, path: string): string[] =>
  need(raw, isArray, what, path).map((k) => need(k, isString, `${what}[]`, path));

/** A step's `deletes` read back from a plan file, checked field by field. */
function deletesFromFile(raw: unknown, what: string, path: string): DeletedData {
  const d = need(raw, isRecord, what, path);
  const text = (key: string, from: Record<string, unknown> = d): string => need(from[key], isString, `${what}.${key}`, path);
  switch (d.kind) {
    case 'table':
      return { kind: 'table', schema: text('schema'), table: text('table') };
    case 'column':
      return { kind: 'column', schema: text('schema'), table: text('table'), column: text('column') };
    case 'sequence':
      return { kind: 'sequence', schema: text('schema'), name: text('name') };
    case 'enum_rows': {
      const type = need(d.type, isRecord, `${what}.type`, path);
      const values = need(d.values, isArray, `${what}.values`, path).map((v) => need(v, isString, `${what}.values[]`, path));
      const columns = need(d.columns, isArray, `${what}.columns`, path).map((item) => {
        const c = need(item, isRecord, `${what}.columns[]`, path);
        return {
          schema: text('schema', c),
          table: text('table', c),
          column: text('column', c),
          array: need(c.array, isBoolean, `${what}.columns[].array`, path),
          deletesRows: need(c.deletes_rows, isBoolean, `${what}.columns[].deletes_rows`, path),
        };
      });
      return { kind: 'enum_rows', type: { schema: text('schema', type), name: text('name', type) }, values, columns };
    }
    default:
      throw new PlanFileError(`${path}: ${what} has an unknown kind ${JSON.stringify(d.kind)}`);
  }
}

function body(doc: Omit<PlanDocument, 'checksum'>): Record<string, unknown> {
  return {
    format: PLAN_FILE_FORMAT,
    format_version: doc.plan.formatVersion,
    id: doc.id,
    tool_version: doc.toolVersion,
    created_at: doc.createdAt,
    database: doc.database,
    desired_hash: doc.plan.desiredHash,
    live_fingerprint: doc.plan.liveFingerprint,
    hazards: planHazardKinds(doc.plan),
    ...(doc.approval ? { approval: doc.approval } : {}),
    steps: doc.plan.steps.map((s) => stepToFile(s, doc.plan.formatVersion)),
    ...(doc.objectFingerprints ? { object_fingerprints: doc.objectFingerprints } : {}),
    ...(doc.desiredSnapshot !== undefined ? { desired_state: doc.desiredSnapshot } : {}),
    ...(doc.rollbackTo !== undefined ? { rollback_to: doc.rollbackTo } : {}),
    ...(doc.rehearsal !== undefined ? { rehearsal: doc.rehearsal } : {}),
  };
}

/** sha256 over everything in the file but the checksum itself. */
export function planChecksum(doc: Omit<PlanDocument, 'checksum'>): string {
  return `sha256:${sha256(stableStringify(body(doc)))}`;
}

/** A slug for the file name from the plan's first objects: `create-table-users-and-4-more`. */
export function planSlug(plan: Plan): string {
  const first = plan.steps[0];
  if (!first) return 'no-changes';
  const words = `${first.action} ${first.objectKind} ${first.object}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const objects = new Set(plan.steps.map((s) => `${s.parent ?? ''}.${s.object}`)).size;
  return objects > 1 ? `${words}-and-${objects - 1}-more` : words;
}

/** `20261121T201500Z` */
export function compactTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * A new plan document: identity, provenance and checksum around a plan. `extras` adds the live
 * schema's per-object fingerprints and the desired state, which `apply` uses.
 *
 * @example
 * const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
 */
export function newPlanDocument(plan: Plan, database: string, now: Date = new Date(), extras: PlanDocumentExtras = {}): PlanDocument {
  const doc = {
    id: `${compactTimestamp(now)}_${extras.rollbackTo !== undefined ? `rollback-to-${extras.rollbackTo}` : planSlug(plan)}`,
    toolVersion: toolVersion(),
    createdAt: now.toISOString(),
    database,
    plan,
    ...(extras.objectFingerprints ? { objectFingerprints: extras.objectFingerprints } : {}),
    ...(extras.desired ? { desiredSnapshot: encodeDesiredState(extras.desired) } : {}),
    ...(extras.rollbackTo !== undefined ? { rollbackTo: extras.rollbackTo } : {}),
    ...(extras.rehearsal !== undefined ? { rehearsal: extras.rehearsal } : {}),
  };
  return { ...doc, checksum: planChecksum(doc) };
}

/** The document with an approval recorded, and its checksum recomputed. */
export function withApproval(doc: PlanDocument, approval: PlanApproval): PlanDocument {
  const { checksum: _old, ...rest } = doc;
  const next = { ...rest, approval };
  return { ...next, checksum: planChecksum(next) };
}

/**
 * The plan document as plain JSON, exactly the content of its file (what the ledger stores in
 * `plan_document`); `parsePlanDocument` reads it back and verifies its checksum.
 */
export function planDocumentJson(doc: PlanDocument): Record<string, unknown> {
  return { ...body(doc), checksum: doc.checksum };
}

export function renderPlanFile(doc: PlanDocument): string {
  const header =
    `# pgreconcile plan ${doc.id}\n` +
    `# Review the steps below, then: pgreconcile apply <this file>\n` +
    `# Editing this file invalidates its checksum; re-plan instead.\n`;
  return header + yaml().stringify({ ...body(doc), checksum: doc.checksum }, { lineWidth: 0, blockQuote: 'literal' });
}

/**
 * Writes the plan file. `out` is a file path, or a folder (existing, or ending in `/`) in which
 * the file is named `<id>.plan.yaml`. Returns the path written.
 */
export async function writePlanFile(doc: PlanDocument, out: string): Promise<string> {
  let path = out;
  const isFolder =
    out.endsWith('/') ||
    (await stat(out).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  if (isFolder) {
    await mkdir(out, { recursive: true });
    path = join(out, `${doc.id}.plan.yaml`);
  }
  await writeFile(path, renderPlanFile(doc), 'utf8');
  return path;
}

function need<T>(value: unknown, check: (v: unknown) => v is T, what: string, path: string): T {
  if (!check(value)) throw new PlanFileError(`${path}: ${what} is missing or malformed; this is not a plan file pgreconcile wrote`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and verifies a plan file: its format and its checksum. A file edited after it was
 * written is refused with a message that says how to re-plan.
 */
export async function readPlanFile(path: string, shown: string = path): Promise<PlanDocument> {
  // A file that cannot be read is a FileReadError (an error, exit 1), not a refused plan.
  const text = await readUserFile(path, shown);
  let raw: unknown;
  try {
    raw = yaml().parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new PlanFileError(
      `${shown}: not valid YAML (${(error as Error).message.split('\n')[0]}); re-plan with \`pgreconcile plan --out plans/\``,
    );
  }
  return parsePlanDocument(raw, shown);
}

/**
 * A plan document from its plain form (a parsed plan file, or the ledger's `plan_document`),
 * checked field by field and against its checksum. `path` names where it came from in errors.
 */
export function parsePlanDocument(raw: unknown, path: string): PlanDocument {
  const r = need(raw, isRecord, 'the document', path);
  if (r.format !== PLAN_FILE_FORMAT)
    throw new PlanFileError(`${path}: not a pgreconcile plan file (format is ${JSON.stringify(r.format)})`);
  const formatVersion = need(r.format_version, isNumber, 'format_version', path);
  if (formatVersion !== 1 && formatVersion !== PLAN_FORMAT_VERSION)
    throw new PlanFileError(`${path}: plan format version ${formatVersion} is not supported by this pgreconcile (${toolVersion()})`);
  const steps = need(r.steps, isArray, 'steps', path).map((item, i): PlanStep => {
    const s = need(item, isRecord, `step ${i + 1}`, path);
    const hazards = need(s.hazards, isArray, `step ${i + 1} hazards`, path).map((h) => {
      const hr = need(h, isRecord, `step ${i + 1} hazard`, path);
      const kind = need(hr.kind, isString, `step ${i + 1} hazard kind`, path);
      if (!isHazardKind(kind)) throw new PlanFileError(`${path}: step ${i + 1} has an unknown hazard kind "${kind}"`);
      return { kind, message: need(hr.message, isString, `step ${i + 1} hazard message`, path) };
    });
    const sql = need(s.sql, isString, `step ${i + 1} sql`, path);
    const objectKind = need(s.object_kind, isString, `step ${i + 1} object_kind`, path);
    if (!(STEP_OBJECT_KINDS as readonly string[]).includes(objectKind) && objectKind !== 'data')
      throw new PlanFileError(`${path}: step ${i + 1} has an unknown object_kind ${JSON.stringify(objectKind)}`);
    const structure =
      formatVersion === 1
        ? { creates: [], drops: [], requires: [], effect: format1Effect(sql) }
        : {
            ...(s.target !== undefined ? { target: refFromFile(s.target, `step ${i + 1} target`, path) } : {}),
            creates: keysFromFile(s.creates, `step ${i + 1} creates`, path),
            drops: keysFromFile(s.drops, `step ${i + 1} drops`, path),
            requires: keysFromFile(s.requires, `step ${i + 1} requires`, path),
            effect: effectFromFile(s.effect, `step ${i + 1} effect`, path),
          };
    return {
      n: need(s.n, isNumber, `step ${i + 1} n`, path),
      action: need(s.action, isString, `step ${i + 1} action`, path) as StepAction,
      objectKind: objectKind as StepWord,
      object: need(s.object, isString, `step ${i + 1} object`, path),
      ...(isString(s.parent) ? { parent: s.parent } : {}),
      ...(isString(s.detail) ? { detail: s.detail } : {}),
      change: need(s.change, isString, `step ${i + 1} change`, path) as StepChange,
      transactional: need(s.transactional, isBoolean, `step ${i + 1} transactional`, path),
      group: need(s.group, isNumber, `step ${i + 1} group`, path),
      lockTimeoutMs: need(s.lock_timeout_ms, isNumber, `step ${i + 1} lock_timeout_ms`, path),
      statementTimeoutMs: need(s.statement_timeout_ms, isNumber, `step ${i + 1} statement_timeout_ms`, path),
      hazards,
      ...(s.deletes !== undefined ? { deletes: deletesFromFile(s.deletes, `step ${i + 1} deletes`, path) } : {}),
      ...structure,
      sql,
    };
  });
  const approvalRaw = r.approval;
  let approval: PlanApproval | undefined;
  if (approvalRaw !== undefined) {
    const a = need(approvalRaw, isRecord, 'approval', path);
    const allowed = need(a.allowed_hazards, isArray, 'approval.allowed_hazards', path).map((k) => {
      if (!isString(k) || !isHazardKind(k)) throw new PlanFileError(`${path}: approval names an unknown hazard kind ${JSON.stringify(k)}`);
      return k;
    });
    approval = { by: need(a.by, isString, 'approval.by', path), at: need(a.at, isString, 'approval.at', path), allowed_hazards: allowed };
  }
  let objectFingerprints: Record<string, string> | undefined;
  if (r.object_fingerprints !== undefined) {
    const o = need(r.object_fingerprints, isRecord, 'object_fingerprints', path);
    objectFingerprints = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, need(v, isString, `object_fingerprints["${k}"]`, path)]));
  }
  const doc = {
    id: need(r.id, isString, 'id', path),
    toolVersion: need(r.tool_version, isString, 'tool_version', path),
    createdAt: need(r.created_at, isString, 'created_at', path),
    database: need(r.database, isString, 'database', path),
    plan: {
      formatVersion,
      desiredHash: need(r.desired_hash, isString, 'desired_hash', path),
      liveFingerprint: need(r.live_fingerprint, isString, 'live_fingerprint', path),
      steps,
    },
    ...(approval ? { approval } : {}),
    ...(objectFingerprints ? { objectFingerprints } : {}),
    ...(isString(r.desired_state) ? { desiredSnapshot: r.desired_state } : {}),
    ...(isString(r.rollback_to) ? { rollbackTo: r.rollback_to } : {}),
    ...(r.rehearsal !== undefined ? { rehearsal: parseRehearsal(r.rehearsal, path) } : {}),
  };
  const checksum = need(r.checksum, isString, 'checksum', path);
  const expected = planChecksum(doc);
  if (checksum !== expected) {
    throw new PlanFileError(
      `${path}: the plan file was changed after it was written (checksum mismatch); it will not be applied. Re-plan with \`pgreconcile plan --out plans/\` and review the new file.`,
    );
  }
  return { ...doc, checksum };
}
