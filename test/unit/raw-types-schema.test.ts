/**
 * The format is written twice by hand, as TypeScript raw types (src/desired/document.ts) and as
 * the JSON Schema (schema/pgreconcile.schema.json): they must agree. For each raw interface, the
 * properties the schema's definition allows are exactly the interface's properties, and the
 * schema's `required` are exactly the ones the interface does not mark optional. The interfaces
 * are read from the source with the TypeScript compiler, so a property added on one side only
 * fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Raw interface → where the schema defines it (`#` is the document's root). */
const DEFINITION_OF: Readonly<Record<string, string>> = {
  RawDocument: '#',
  RawExtension: 'extension',
  RawSchema: 'schema',
  RawEnum: 'enum',
  RawSequence: 'sequence',
  RawFunction: 'function',
  RawFunctionArgument: 'functionArgument',
  RawTable: 'table',
  RawColumn: 'column',
  RawUnique: 'unique',
  RawCheck: 'check',
  RawForeignKey: 'foreignKey',
  RawExclusion: 'exclusion',
  RawExclusionElement: 'exclusionElement',
  RawIndex: 'index',
  RawTrigger: 'trigger',
};

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

describe('the raw types and the JSON Schema', () => {
  const interfaces = interfacesOf(join(ROOT, 'src', 'desired', 'document.ts'));
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'pgreconcile.schema.json'), 'utf8')) as SchemaNode;

  it('every raw interface with properties has its schema definition, and every object definition its interface', () => {
    const raw = [...interfaces.keys()].filter((name) => name.startsWith('Raw')).sort();
    expect(raw).toEqual(Object.keys(DEFINITION_OF).sort());
    const objectDefinitions = Object.entries(schema.definitions ?? {})
      .filter(([, d]) => d.properties !== undefined)
      .map(([name]) => name)
      .sort();
    expect(objectDefinitions).toEqual(
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
