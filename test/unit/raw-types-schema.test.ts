/**
 * The format is written twice, as TypeScript raw types (each kind's src/kinds/<kind>/raw.ts, the
 * document's in src/kinds/raw.ts) and as the JSON Schema (schema/pgreconcile.schema.json, assembled
 * from the kinds' format parts): they must agree. For each raw interface, the properties the
 * schema's definition allows are exactly the interface's properties, and the schema's `required`
 * are exactly the ones the interface does not mark optional; a kind's raw interfaces are the
 * object definitions of its own format part. The interfaces are read from the source with the
 * TypeScript compiler, so a property added on one side only fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/kinds/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Where the schema defines a raw interface: `RawFooBar` is `definitions.fooBar`, the document's
 * `RawDocument` is the root (`#`).
 */
function definitionOf(name: string): string {
  if (name === 'RawDocument') return '#';
  const rest = name.slice('Raw'.length);
  return rest.charAt(0).toLowerCase() + rest.slice(1);
}

interface Shape {
  readonly properties: string[];
  readonly required: string[];
}

function interfacesOf(path: string): Map<string, Shape> {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out = new Map<string, Shape>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const properties: string[] = [];
    const required: string[] = [];
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || member.name === undefined) continue;
      const name = member.name.getText(source).replace(/^['"]|['"]$/g, '');
      properties.push(name);
      if (member.questionToken === undefined) required.push(name);
    }
    out.set(node.name.text, { properties: properties.sort(), required: required.sort() });
  });
  return out;
}

interface SchemaNode {
  readonly properties?: Record<string, unknown>;
  readonly required?: readonly string[];
  readonly definitions?: Record<string, SchemaNode>;
}

const KINDS_DIR = join(ROOT, 'src', 'kinds');

/** The names of the `Raw…` interfaces among `interfaces`, sorted. */
const rawNames = (interfaces: ReadonlyMap<string, Shape>): string[] => [...interfaces.keys()].filter((n) => n.startsWith('Raw')).sort();

/** Object definitions (those with properties) of a set of definitions, sorted. */
const objectDefinitions = (definitions: { readonly [name: string]: unknown }): string[] =>
  Object.entries(definitions)
    .filter(([, d]) => (d as SchemaNode).properties !== undefined)
    .map(([name]) => name)
    .sort();

describe('the raw types and the JSON Schema', () => {
  const byKind = new Map(KINDS.map((kind) => [kind.name, interfacesOf(join(KINDS_DIR, kind.name, 'raw.ts'))]));
  const interfaces = new Map([...interfacesOf(join(KINDS_DIR, 'raw.ts')), ...[...byKind.values()].flatMap((m) => [...m])]);
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'pgreconcile.schema.json'), 'utf8')) as SchemaNode;
  const DEFINITION_OF: Readonly<Record<string, string>> = Object.fromEntries(rawNames(interfaces).map((n) => [n, definitionOf(n)]));

  it("a kind's raw interfaces are the object definitions of its own part of the format", () => {
    for (const kind of KINDS) {
      const own = rawNames(byKind.get(kind.name)!).map(definitionOf).sort();
      expect(own, `src/kinds/${kind.name}/raw.ts`).toEqual(objectDefinitions(kind.format.definitions));
    }
  });

  it('every raw interface with properties has its schema definition, and every object definition its interface', () => {
    expect(DEFINITION_OF['RawDocument'], 'RawDocument in src/kinds/raw.ts').toBe('#');
    expect(objectDefinitions(schema.definitions ?? {})).toEqual(
      Object.values(DEFINITION_OF)
        .filter((d) => d !== '#')
        .sort(),
    );
  });

  for (const [name, definition] of Object.entries(DEFINITION_OF)) {
    it(`${name} has the properties and required keys of ${definition === '#' ? 'the document' : `definitions.${definition}`}`, () => {
      const node = definition === '#' ? schema : schema.definitions?.[definition];
      expect(node, `schema definition ${definition}`).toBeDefined();
      const shape = interfaces.get(name)!;
      expect(Object.keys(node!.properties ?? {}).sort(), `${name}: properties`).toEqual(shape.properties);
      expect([...(node!.required ?? [])].sort(), `${name}: required`).toEqual(shape.required);
    });
  }
});
