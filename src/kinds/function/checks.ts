/**
 * Functions and procedures (one namespace, as in pg_proc): the key parses and names the arguments' types; language, settings and argument
 * names are well formed; types resolve; a signature is declared once per schema; exactly one of
 * `body` and `sql_body`, and it parses (a PL/pgSQL body with its signature).
 */
import type { Checker, Namespace, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import type { RawFunction } from '../../desired/document.js';
import type { RawProcedure } from '../function/raw.js';
import { entries } from '../../desired/document.js';
import { parseFunctionKey } from '../../desired/resolve.js';
import { parsePlpgsqlBody, parseSqlBody, parseStatements } from '../../desired/sql-fragment.js';
import { checkConfigParameter, checkLanguage } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkFunctions(c: Checker, at: SchemaScope): void {
  const signatures: Namespace = new Map();
  for (const [key, raw] of entries(at.body.functions)) checkFunction(c, at.schema, [...at.path, 'functions', key], key, raw, signatures);
  for (const [key, raw] of entries(at.body.procedures)) checkFunction(c, at.schema, [...at.path, 'procedures', key], key, raw, signatures);
}

function checkFunction(
  c: Checker,
  schema: string,
  path: DocPath,
  key: string,
  raw: RawFunction | RawProcedure,
  signatures: Namespace,
): void {
  const what = 'returns' in raw ? 'function' : 'procedure';
  const parsedKey = parseFunctionKey(key);
  if ('error' in parsedKey) {
    c.report(path, parsedKey.error, 'key');
    return;
  }
  c.checkName(path, parsedKey.name, what);
  c.grammar([...path, 'language'], checkLanguage(raw.language));
  for (const [param] of entries(raw.set)) c.grammar([...path, 'set', param], checkConfigParameter(param), 'key');
  (raw.arguments ?? []).forEach((arg, i) => c.checkRef([...path, 'arguments', i, 'name'], arg.name, 'argument'));
  let typesOk = true;
  const identityTypes: string[] = [];
  const signatureParts: string[] = [];
  (raw.arguments ?? []).forEach((arg, i) => {
    const argPath = [...path, 'arguments', i];
    const resolved = c.index.resolveType(arg.type, schema, 'argument');
    if (!resolved.ok) {
      c.report([...argPath, 'type'], resolved.message);
      typesOk = false;
      return;
    }
    const mode = arg.mode ?? 'in';
    if (mode !== 'out') identityTypes.push(resolved.canonical);
    signatureParts.push(`${mode} ${arg.name !== undefined ? `"${arg.name.replaceAll('"', '""')}" ` : ''}${arg.type}`);
    if (arg.default !== undefined) {
      const text = String(arg.default);
      const parsed = c.expression([...argPath, 'default'], text, 'argument default');
      if (parsed !== undefined) c.noSubquery([...argPath, 'default'], text, parsed, 'an argument default');
    }
  });
  const returns = 'returns' in raw ? c.index.resolveType(raw.returns, schema, 'return') : undefined;
  if (returns !== undefined && !returns.ok) {
    c.report([...path, 'returns'], returns.message);
    typesOk = false;
  }
  if (parsedKey.argTypes !== undefined && typesOk) {
    const keyTypes: string[] = [];
    for (const text of parsedKey.argTypes) {
      const resolved = c.index.resolveType(text, schema, 'argument');
      if (!resolved.ok) {
        c.report(path, `in the ${what} key: ${resolved.message}`, 'key');
        typesOk = false;
        break;
      }
      keyTypes.push(resolved.canonical);
    }
    if (typesOk && keyTypes.join(', ') !== identityTypes.join(', ')) {
      c.report(
        path,
        `the key names the argument types (${keyTypes.join(', ')}) but the arguments are (${identityTypes.join(', ')})`,
        'key',
      );
    }
  }
  if (typesOk) {
    const signature = `${parsedKey.name}(${identityTypes.join(', ')})`;
    const first = signatures.get(signature);
    if (first !== undefined) {
      c.report(
        path,
        `${what} ${signature} is declared twice (also at line ${c.line(first.path)}${first.what.startsWith(`${what} `) ? '' : `, as ${first.what}`}): same name and argument types`,
        'key',
      );
    } else {
      signatures.set(signature, { what: `${what} ${signature}`, path });
    }
  }
  const bodyPath = [...path, 'body'];
  const language = raw.language.toLowerCase();
  if ((raw.body === undefined) === (raw.sql_body === undefined)) {
    c.report(path, `${what} ${key}: declare exactly one of \`body\` and \`sql_body\``, 'key');
  } else if (raw.sql_body !== undefined) {
    const problem = language === 'sql' ? parseSqlBody(raw.sql_body) : { offset: 0, message: 'a SQL-standard body needs language: sql' };
    if (problem !== undefined) c.reportIn([...path, 'sql_body'], raw.sql_body, problem.offset, `invalid sql_body: ${problem.message}`);
  } else if (raw.body === undefined) {
    return;
  } else if (language === 'sql') {
    const problem = parseStatements(raw.body);
    if (problem !== undefined) c.reportIn(bodyPath, raw.body, problem.offset, `invalid function body: ${problem.message}`);
  } else if (language === 'plpgsql' && typesOk) {
    const problem = parsePlpgsqlBody(raw.body, signatureParts.join(', '), 'returns' in raw ? raw.returns : undefined);
    if (problem !== undefined) c.reportIn(bodyPath, raw.body, problem.offset, `invalid function body: ${problem.message}`);
  }
}

export const functionChecks: readonly KindCheck[] = [{ in: 'schema', check: checkFunctions }];
