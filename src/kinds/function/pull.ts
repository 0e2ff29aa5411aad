/**
 * The function kind's part of the pull writer: a schema's `functions` and `procedures` maps,
 * overloads keyed by their argument types, defaults (volatile, invoker, parallel unsafe, …) left out.
 */
import type { PullPlacement } from '../kind.js';
import { compareText } from '../../model/canonical.js';
import { functionIdentityArgs } from '../function/model.js';
import type { FunctionDef } from '../../model/types.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlSeq, yamlString, yamlText } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';

function functionsNode(ctx: PullContext, functions: readonly FunctionDef[]): YamlNode {
  const counts = new Map<string, number>();
  for (const f of functions) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  const entries: (readonly [string, YamlNode])[] = [];
  const keys = functions.map((f) => {
    if ((counts.get(f.name) ?? 0) < 2) return f.name;
    const types = f.arguments
      .filter((a) => a.mode !== 'out')
      .map((a) => ctx.type(a.type, f.schema, 'argument', `function ${f.schema}.${f.name}`));
    return `${f.name}(${types.join(', ')})`;
  });
  // Keys sort as written (overloads by their argument types), so the file order is fixed.
  const order = functions.map((f, i) => ({ f, key: keys[i] ?? f.name })).sort((a, b) => compareText(a.key, b.key));
  for (const { f, key } of order) {
    const node = functionNode(ctx, f);
    if (node !== undefined) entries.push([key, node]);
  }
  return yamlMap(entries, 'block');
}

function functionNode(ctx: PullContext, f: FunctionDef): YamlNode | undefined {
  const where = `${f.procedure === true ? 'procedure' : 'function'} ${f.schema}.${f.name}(${functionIdentityArgs(f)})`;
  const fn = f.procedure !== true;
  if (f.name.includes('(')) {
    ctx.warn(`${where}: a function name holding "(" cannot be a key of the file; it is left out`);
    return undefined;
  }
  if (f.body === '' && f.sqlBody === undefined) {
    ctx.warn(`${where}: its body is empty and not SQL-standard, which the format cannot express; it is left out`);
    return undefined;
  }
  const args = f.arguments.map((a) =>
    yamlMap([
      ['name', a.name !== undefined ? yamlString(a.name) : undefined],
      ['type', yamlString(ctx.type(a.type, f.schema, 'argument', where))],
      ['mode', a.mode !== 'in' ? yamlString(a.mode) : undefined],
      ['default', a.default !== undefined ? yamlString(a.default) : undefined],
    ]),
  );
  const config = Object.keys(f.config).sort(compareText);
  return yamlMap(
    [
      ['returns', fn ? yamlString(ctx.type(f.returns, f.schema, 'return', where)) : undefined],
      ['language', yamlString(f.language)],
      ['arguments', args.length > 0 ? yamlSeq(args) : undefined],
      ['volatility', f.volatility !== 'volatile' ? yamlString(f.volatility) : undefined],
      ['strict', f.strict ? yamlBool(true) : undefined],
      ['security', f.security !== 'invoker' ? yamlString(f.security) : undefined],
      ['leakproof', f.leakproof ? yamlBool(true) : undefined],
      ['parallel', f.parallel !== 'unsafe' ? yamlString(f.parallel) : undefined],
      ['set', config.length > 0 ? yamlMap(config.map((k) => [k, yamlString(f.config[k] ?? '')] as const)) : undefined],
      // A body of one line reads best inline; longer ones as a literal block, exactly as stored.
      f.sqlBody !== undefined
        ? ['sql_body', f.sqlBody.includes('\n') ? yamlText(f.sqlBody) : yamlString(f.sqlBody)]
        : ['body', f.body.includes('\n') ? yamlText(f.body) : yamlString(f.body)],
      ...aclEntries(ctx, f.procedure === true ? 'procedure' : 'function', f.schema, f.name, {
        signature: f.arguments.filter((a) => a.mode !== 'out').map((a) => a.type),
      }),
      commentEntry(f.comment),
    ],
    'block',
  );
}

export const functionPull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const functions = ctx.model.functions.filter((f) => f.schema === schema && f.procedure !== true);
      const procedures = ctx.model.functions.filter((f) => f.schema === schema && f.procedure === true);
      return [
        ['functions', functions.length > 0 ? functionsNode(ctx, functions) : undefined],
        ['procedures', procedures.length > 0 ? functionsNode(ctx, procedures) : undefined],
      ];
    },
  },
];
