/**
 * The format is written twice, as TypeScript raw types (each kind's src/kinds/<kind>/raw.ts, the
 * document's in src/kinds/raw.ts) and as the JSON Schema (schema/pgreconcile.schema.json, assembled
 * from the kinds' format parts): they must agree. For each raw interface, the properties the
 * schema's definition allows are exactly the interface's properties, and the schema's `required`
 * are exactly the ones the interface does not mark optional; a kind's raw interfaces are the
 * object definitions of its own format part. The interfaces are read from the source with the
 * TypeScript compiler, with the properties kinds add to their container's interface by declaration
 * merging, so a property added on one side only fails here.
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

function shapeOf(node: ts.InterfaceDeclaration, source: ts.SourceFile): Shape {
  const properties: string[] = [];
  const required: string[] = [];
  for (const member of node.members) {
    if (!ts.isPropertySignature(member) || member.name === undefined) continue;
    const name = member.name.getText(source).replace(/^['"]|['"]$/g, '');
    properties.push(name);
    if (member.questionToken === undefined) required.push(name);
  }
  return { properties: properties.sort(), required: required.sort() };
}

/**
 * A file's own interfaces, and the properties it adds to other files' interfaces by declaration
 * merging (`declare module '../schema/raw.js' { interface RawSchema { … } }`: a kind's map in its
 * container).
 */
function interfacesOf(path: string): { own: Map<string, Shape>; added: [string, Shape][] } {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const own = new Map<string, Shape>();
  const added: [string, Shape][] = [];
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) own.set(node.name.text, shapeOf(node, source));
    else if (ts.isModuleDeclaration(node) && node.body !== undefined && ts.isModuleBlock(node.body))
      for (const inner of node.body.statements) if (ts.isInterfaceDeclaration(inner)) added.push([inner.name.text, shapeOf(inner, source)]);
  });
  return { own, added };
}

/** The interfaces with the properties every file adds to them. */
function merged(files: readonly { own: Map<string, Shape>; added: [string, Shape][] }[]): Map<string, Shape> {
  const out = new Map(files.flatMap((f) => [...f.own]));
  for (const [name, more] of files.flatMap((f) => f.added)) {
    const shape = out.get(name);
    if (shape === undefined) throw new Error(`properties added to ${name}, which no raw.ts declares`);
    out.set(name, {
      properties: [...shape.properties, ...more.properties].sort(),
      required: [...shape.required, ...more.required].sort(),
    });
  }
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
  const files = new Map(KINDS.map((kind) => [kind.name, interfacesOf(join(KINDS_DIR, kind.name, 'raw.ts'))]));
  const byKind = new Map([...files].map(([name, f]) => [name, f.own]));
  const interfaces = merged([interfacesOf(join(KINDS_DIR, 'raw.ts')), ...files.values()]);
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
