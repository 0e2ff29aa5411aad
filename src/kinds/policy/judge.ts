/**
 * PostgreSQL as the judge of policy expressions (docs/architecture.md rule 1). For each declared
 * policy whose live counterpart's USING or WITH CHECK text differs from the file's, the policy is
 * created on a temporary table shaped like the desired table, inside one transaction that is
 * rolled back, and its expressions read back with pg_get_expr, as introspection reads the live
 * ones (./policies.sql). The temporary table has the real table's name and pg_temp is searched
 * last, so that a subquery naming the table itself reads and prints as it does on the real one
 * (`FROM t t_1`). A policy the server rejects here (it calls a function the plan has yet to
 * create) is unjudged: the diff compares texts.
 */
import type { Db } from '../../db/db.js';
import { isDbError } from '../../db/errors.js';
import { SESSION_SETTINGS } from '../../db/session-settings.js';
import { quoteIdent } from '../../model/ident.js';
import { nameKey } from '../../model/object-ref.js';
import type { SchemaModel, Table } from '../../model/types.js';
import { slotKey, type Judge, type PolicySlotKind, type TableJudge, type Verdict } from '../../judge/slots.js';
import { typeSql } from '../../plan/sql-text.js';
import type { Policy } from './model.js';
import { policyClauses } from './sql.js';

/** Per desired table (`nameKey`), slot (`slotKey('policy_using', policy)`) → the server's form. */
export type PolicyForms = ReadonlyMap<string, ReadonlyMap<string, string>>;

const PROBE_NAME = 'pgreconcile_judge_policy';

function liveMatch(policy: Policy, live: readonly Policy[]): Policy | undefined {
  const from = policy.renamedFrom;
  return live.find((p) => p.name === policy.name) ?? (from !== undefined ? live.find((p) => p.name === from) : undefined);
}

/** The policies of `table` worth asking the server about: an expression whose text differs from the live one's. */
function picked(table: Table, live: Table): Policy[] {
  const out: Policy[] = [];
  for (const policy of table.policies ?? []) {
    const have = liveMatch(policy, live.policies ?? []);
    if (have === undefined) continue;
    if (
      (policy.using !== undefined && have.using !== undefined && policy.using !== have.using) ||
      (policy.withCheck !== undefined && have.withCheck !== undefined && policy.withCheck !== have.withCheck)
    )
      out.push(policy);
  }
  return out;
}

/**
 * The forms of the declared policies' expressions. Empty when there is nothing to judge or the
 * server cannot (no TEMP privilege, a read-only server).
 */
export async function judgePolicies(db: Db, desired: SchemaModel, live: SchemaModel): Promise<PolicyForms> {
  const forms = new Map<string, Map<string, string>>();
  const liveTables = new Map(live.tables.map((t) => [nameKey(t.schema, t.name), t]));
  const work: { table: Table; policies: Policy[] }[] = [];
  for (const table of desired.tables) {
    const other =
      liveTables.get(nameKey(table.schema, table.name)) ??
      (table.renamedFrom !== undefined ? liveTables.get(nameKey(table.schema, table.renamedFrom)) : undefined);
    if (other === undefined) continue;
    const policies = picked(table, other);
    if (policies.length > 0) work.push({ table, policies });
  }
  if (work.length === 0) return forms;
  try {
    await db.exec('BEGIN');
  } catch (error) {
    if (isDbError(error)) return forms;
    throw error;
  }
  try {
    const names = Object.keys(SESSION_SETTINGS);
    await db.query(
      `SELECT pg_catalog.set_config(n, v, true)
         FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) AS s(n, v)
       UNION ALL SELECT pg_catalog.set_config('lock_timeout', '5s', true)`,
      [names, names.map((n) => SESSION_SETTINGS[n]!)],
    );
    // pg_temp last: an unqualified name is the real table, as on the live policy.
    await db.query(`SELECT pg_catalog.set_config('search_path', $1, true)`, [`${SESSION_SETTINGS['search_path']}, pg_temp`]);
    for (const { table, policies } of work) {
      const found = new Map<string, string>();
      forms.set(nameKey(table.schema, table.name), found);
      const target = `pg_temp.${quoteIdent(table.name)}`;
      const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${typeSql(c.type)}`).join(', ');
      await db.exec('SAVEPOINT pgreconcile_judge_table');
      try {
        await db.exec(`CREATE TEMP TABLE ${target} (${columns})`);
        for (const policy of policies) {
          await db.exec('SAVEPOINT pgreconcile_judge_policy');
          try {
            await db.exec(`CREATE POLICY ${PROBE_NAME} ON ${target}${policyClauses(policy)}`);
            const { rows } = await db.query<{ using: string | null; with_check: string | null }>(
              `SELECT pg_catalog.pg_get_expr(polqual, polrelid) AS using, pg_catalog.pg_get_expr(polwithcheck, polrelid) AS with_check
                 FROM pg_catalog.pg_policy WHERE polrelid = $1::pg_catalog.regclass AND polname = $2`,
              [target, PROBE_NAME],
            );
            const row = rows[0];
            if (row?.using !== null && row?.using !== undefined) found.set(slotKey('policy_using', policy.name), row.using);
            if (row?.with_check !== null && row?.with_check !== undefined) found.set(slotKey('policy_check', policy.name), row.with_check);
          } catch (error) {
            if (!isDbError(error)) throw error;
          }
          await db.exec('ROLLBACK TO SAVEPOINT pgreconcile_judge_policy');
        }
      } catch (error) {
        if (!isDbError(error)) throw error;
      }
      await db.exec('ROLLBACK TO SAVEPOINT pgreconcile_judge_table');
    }
  } catch (error) {
    if (!isDbError(error)) {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  await db.exec('ROLLBACK').catch(() => undefined);
  return forms;
}

const POLICY_KINDS: ReadonlySet<string> = new Set<PolicySlotKind>(['policy_using', 'policy_check']);

/** `judge` answering the policy slots of each table from `all` (the others as before). */
export function withPolicyForms(judge: Judge, all: PolicyForms): Judge {
  if (all.size === 0) return judge;
  return {
    ...judge,
    forTable(schema: string, name: string): TableJudge | undefined {
      const base = judge.forTable(schema, name);
      const forms = all.get(nameKey(schema, name));
      if (forms === undefined) return base;
      return {
        ...(base?.form !== undefined ? { form: base.form.bind(base) } : {}),
        verdict(kind, object, key, live): Verdict {
          if (!POLICY_KINDS.has(kind)) return base?.verdict(kind, object, key, live) ?? 'unjudged';
          const form = forms.get(slotKey(kind, object));
          if (live === undefined || form === undefined) return 'unjudged';
          return form === live ? 'same' : 'different';
        },
      };
    },
  };
}
