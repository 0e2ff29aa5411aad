/**
 * PostgreSQL as the judge of a domain's default and checks (docs/architecture.md rule 1): for
 * each declared domain whose default or a check is written otherwise than the live one, two
 * temporary domains on the same base type are created in a transaction that is rolled back — one
 * with the declared expressions, one with the live texts — and read back the way introspection
 * reads them (`pg_get_expr`). A declared expression is the same when its read-back is the live
 * text, or the live text's read-back (the printed form is not always a fixpoint). Where the
 * server could not judge (the base type or a function the plan has yet to create, a read-only
 * server), the verdict is `unjudged` and the diff's own comparison decides.
 */
import type { Db } from '../../db/db.js';
import { isDbError } from '../../db/errors.js';
import { SESSION_SETTINGS } from '../../db/session-settings.js';
import { expressionSql } from '../../model/sql-names.js';
import { nameKey } from '../../model/object-ref.js';
import { quoteIdent } from '../../model/ident.js';
import { slotKey, type TableJudge, type Verdict } from '../../judge/slots.js';
import type { Domain } from './model.js';

/** The prefix of the judge's temporary domains (the table judge's, with `domain_`). */
const PREFIX = 'pgreconcile_judge_domain_';

interface Work {
  readonly desired: Domain;
  readonly live: Domain;
  /** Slots to judge: `default` (the domain's name) and `check` (by check name). */
  readonly slots: readonly { readonly kind: 'default' | 'check'; readonly name: string; readonly want: string; readonly have: string }[];
}

export interface DomainJudgement {
  /** One judge per judged desired domain, keyed `nameKey(schema, name)`. */
  readonly judges: ReadonlyMap<string, TableJudge>;
  readonly warnings: readonly string[];
}

/** The declared domains whose expressions are written otherwise than their live counterparts. */
function selectWork(desired: readonly Domain[], live: readonly Domain[]): Work[] {
  const byName = new Map(live.map((d) => [nameKey(d.schema, d.name), d]));
  const work: Work[] = [];
  for (const d of desired) {
    const other =
      byName.get(nameKey(d.schema, d.name)) ?? (d.renamedFrom !== undefined ? byName.get(nameKey(d.schema, d.renamedFrom)) : undefined);
    if (other === undefined || other.type !== d.type || other.collation !== d.collation) continue;
    const slots: Work['slots'][number][] = [];
    if (d.default !== undefined && other.default !== undefined && d.default !== other.default)
      slots.push({ kind: 'default', name: d.name, want: d.default, have: other.default });
    const liveChecks = new Map(other.checks.map((c) => [c.name, c]));
    for (const check of d.checks) {
      const have = liveChecks.get(check.name);
      if (have !== undefined && have.expression !== check.expression)
        slots.push({ kind: 'check', name: check.name, want: check.expression, have: have.expression });
    }
    if (slots.length > 0) work.push({ desired: d, live: other, slots });
  }
  return work;
}

/** Runs one statement in a savepoint: true when it ran. */
async function attempt(db: Db, sql: string): Promise<boolean> {
  try {
    await db.exec(`SAVEPOINT pgreconcile_judge_domain; ${sql}; RELEASE SAVEPOINT pgreconcile_judge_domain`);
    return true;
  } catch (error) {
    if (!isDbError(error)) throw error;
    await db.exec('ROLLBACK TO SAVEPOINT pgreconcile_judge_domain; RELEASE SAVEPOINT pgreconcile_judge_domain');
    return false;
  }
}

/**
 * Creates the temporary domain `name` on `base` with each slot's text (`pick`), each in its own
 * savepoint so that one rejected expression spoils only itself. Check `k` is named `c<k>`.
 */
async function probe(db: Db, name: string, base: Domain, work: Work, pick: (slot: Work['slots'][number]) => string): Promise<boolean> {
  const domain = `pg_temp.${quoteIdent(name)}`;
  const collate = base.collation !== undefined ? ` COLLATE ${quoteIdent(base.collation)}` : '';
  if (!(await attempt(db, `CREATE DOMAIN ${domain} AS ${base.type}${collate}`))) return false;
  for (const [k, slot] of work.slots.entries()) {
    const text = expressionSql(pick(slot));
    if (slot.kind === 'default') await attempt(db, `ALTER DOMAIN ${domain} SET DEFAULT ${text}`);
    else await attempt(db, `ALTER DOMAIN ${domain} ADD CONSTRAINT ${quoteIdent(`c${k}`)} CHECK (${text}) NOT VALID`);
  }
  return true;
}

const READ_BACK = `
SELECT t.typname::text AS domain, NULL::text AS con, pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS form
  FROM pg_catalog.pg_type t
 WHERE t.typnamespace = pg_catalog.pg_my_temp_schema() AND t.typname::text LIKE '${PREFIX}%' AND t.typdefaultbin IS NOT NULL
UNION ALL
SELECT t.typname::text, con.conname::text, pg_catalog.pg_get_expr(con.conbin, 0)
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_constraint con ON con.contypid = t.oid AND con.contype = 'c'
 WHERE t.typnamespace = pg_catalog.pg_my_temp_schema() AND t.typname::text LIKE '${PREFIX}%'`;

/**
 * The verdicts on the declared domains' defaults and checks, on `db` (the server the plan is
 * for). Never fails for want of the judge: when it cannot run, nothing is judged and a warning
 * says why.
 */
export async function judgeDomains(db: Db, desired: readonly Domain[], live: readonly Domain[]): Promise<DomainJudgement> {
  const work = selectWork(desired, live);
  if (work.length === 0) return { judges: new Map(), warnings: [] };
  const forms = new Map<string, string>();
  try {
    await db.exec('BEGIN');
    try {
      const names = Object.keys(SESSION_SETTINGS);
      await db.query(
        `SELECT pg_catalog.set_config(n, v, true)
           FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) AS s(n, v)`,
        [names, names.map((n) => SESSION_SETTINGS[n]!)],
      );
      for (const [i, w] of work.entries()) {
        await probe(db, `${PREFIX}d${i}`, w.desired, w, (s) => s.want);
        await probe(db, `${PREFIX}l${i}`, w.desired, w, (s) => s.have);
      }
      const { rows } = await db.query<{ domain: string; con: string | null; form: string | null }>(READ_BACK);
      for (const row of rows) if (row.form !== null) forms.set(`${row.domain}\u0000${row.con ?? ''}`, row.form);
    } finally {
      await db.exec('ROLLBACK');
    }
  } catch (error) {
    if (!isDbError(error)) throw error;
    return {
      judges: new Map(),
      warnings: [
        `PostgreSQL could not judge the domains' expressions (${error.message}); they were compared by pgreconcile's own reading instead`,
      ],
    };
  }
  const judges = new Map<string, TableJudge>();
  for (const [i, w] of work.entries()) {
    const verdicts = new Map<string, { readonly have: string; readonly verdict: Verdict }>();
    for (const [k, slot] of w.slots.entries()) {
      const con = slot.kind === 'default' ? '' : `c${k}`;
      const mine = forms.get(`${PREFIX}d${i}\u0000${con}`);
      const theirs = forms.get(`${PREFIX}l${i}\u0000${con}`);
      const verdict: Verdict = mine === undefined ? 'unjudged' : mine === slot.have || mine === theirs ? 'same' : 'different';
      verdicts.set(slotKey(slot.kind, slot.name), { have: slot.have, verdict });
    }
    judges.set(nameKey(w.desired.schema, w.desired.name), {
      verdict: (kind, name, _key, liveText) => {
        const found = verdicts.get(slotKey(kind, name));
        return found === undefined || found.have !== liveText ? 'unjudged' : found.verdict;
      },
    });
  }
  return { judges, warnings: [] };
}
