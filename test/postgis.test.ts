/**
 * PostGIS from Debian's packages (`postgresql-15-postgis-3`, installed by .ci/run where
 * missing): geometry and geography columns with typmods, a GiST index, plan → apply → re-plan
 * empty, the pull round trip, and the extension's own tables and functions (spatial_ref_sys,
 * st_*) never managed. Skips, saying so, when the server has no PostGIS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { executePlan, planDatabase, pullSchema } from '../src/index.js';
import { initParser } from '../src/sql/parser.js';
import { createTestDatabase, serverHasExtension, useTestDatabase } from './support/harness.js';

let work: string;
let available = false;
beforeAll(async () => {
  await initParser();
  work = await mkdtemp(join(tmpdir(), 'pgr-postgis-'));
  available = await serverHasExtension('postgis');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let files = 0;
async function planYaml(db: Db, yaml: string) {
  files += 1;
  return planDatabase(db, await loadDesiredStateFromText(yaml, join(work, `schema-${files}.yaml`), { fastPath: false }));
}

const SCHEMA = `version: 1
extensions:
  postgis: {}
schemas:
  public:
    tables:
      places:
        columns:
          id: { type: bigint, nullable: false }
          area: { type: "geometry(Polygon,4326)" }
          spot: { type: "geometry(PointZ,3857)" }
          route: { type: "geography(LineString,4326)" }
          anything: { type: geometry }
        primary_key: [id]
        indexes:
          places_area_gist: { using: gist, columns: [area] }
          places_route_gist: { using: gist, columns: [route] }
`;

const noPostgis = 'PostGIS is not available on this server (Debian: apt-get install postgresql-15-postgis-3; .ci/run does it)';

describe('PostGIS', () => {
  const database = useTestDatabase();

  it('columns with typmods and GiST indexes: plan, apply, re-plan empty; the extension itself unmanaged', async ({ skip }) => {
    if (!available) skip(noPostgis);
    const { db } = database();
    const first = await planYaml(db, SCHEMA);
    expect(first.plan.steps.map((s) => s.sql).join('\n')).toContain('CREATE EXTENSION');
    await executePlan(db, first.plan);
    const again = await planYaml(db, SCHEMA);
    expect(again.plan.steps.map((s) => s.sql)).toEqual([]);
    const { rows } = await db.query<{ t: string }>(
      `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'places'::regclass AND attname = 'area'`,
    );
    expect(rows[0]?.t).toBe('geometry(Polygon,4326)');
    // spatial_ref_sys and the st_* functions are the extension's: no plan drops them.
    const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_proc WHERE proname = 'st_area'`);
    expect(Number(count.rows[0]?.n)).toBeGreaterThan(0);
    expect(again.plan.steps.some((s) => /spatial_ref_sys|st_/i.test(s.sql))).toBe(false);
  });

  it('a database made in SQL pulls to a file that plans empty against it and rebuilds the same columns elsewhere', async ({ skip }) => {
    if (!available) skip(noPostgis);
    const { db } = database();
    await db.exec(`CREATE EXTENSION postgis;
      CREATE TABLE parcels (id bigint PRIMARY KEY, shape geometry(MultiPolygon,4326) NOT NULL, centre geography(Point,4326),
        CONSTRAINT parcels_valid CHECK (ST_IsValid(shape)));
      CREATE INDEX parcels_shape ON parcels USING gist (shape);
      CREATE INDEX parcels_centre ON parcels USING gist (centre) WHERE centre IS NOT NULL`);
    const pulled = await pullSchema(db);
    expect(pulled.yaml).toContain('geometry(MultiPolygon,4326)');
    expect(pulled.yaml).toContain('geography(Point,4326)');
    expect(pulled.yaml).not.toMatch(/spatial_ref_sys|geometry_columns|st_isvalid:|postgis_full_version/i);
    expect((await planYaml(db, pulled.yaml)).plan.steps.map((s) => s.sql)).toEqual([]);
    const fresh = await createTestDatabase();
    try {
      const built = await planYaml(fresh.db, pulled.yaml);
      await executePlan(fresh.db, built.plan);
      expect((await planYaml(fresh.db, pulled.yaml)).plan.steps.map((s) => s.sql)).toEqual([]);
      const columns = async (d: Db) =>
        (
          await d.query<{ c: string }>(
            `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) AS c
               FROM pg_attribute WHERE attrelid = 'parcels'::regclass AND attnum > 0`,
          )
        ).rows[0]?.c;
      expect(await columns(fresh.db)).toBe(await columns(db));
    } finally {
      await fresh.drop();
    }
  });
});

/**
 * PostGIS type spellings (issue 15 class 2): each case builds `sql`, plans `columns` against it
 * (nothing when `same`, a type change otherwise), applies, re-plans empty, and builds the file on
 * an empty database to the same column types.
 */
interface SpellingCase {
  readonly name: string;
  readonly sql: string;
  readonly extension: string;
  readonly schemas?: string;
  readonly columns: string;
  readonly same: boolean;
}

const SPELLINGS: readonly SpellingCase[] = [
  {
    name: 'geometry(polygon,4326) in lower case is the live geometry(Polygon,4326)',
    sql: 'CREATE EXTENSION postgis; CREATE TABLE t (id integer PRIMARY KEY, g geometry(Polygon,4326))',
    extension: '{}',
    columns: '          g: { type: "geometry(polygon,4326)" }\n',
    same: true,
  },
  {
    name: 'GEOMETRY(POINT, 4326) in upper case with a space is geometry(Point,4326)',
    sql: 'CREATE EXTENSION postgis; CREATE TABLE t (id integer PRIMARY KEY, g geometry(Point,4326), m geometry(MultiLineStringZM,3857))',
    extension: '{}',
    columns: '          g: { type: "GEOMETRY(POINT, 4326)" }\n          m: { type: "geometry(multilinestringzm,3857)" }\n',
    same: true,
  },
  {
    name: 'geography(point) is geography(Point,4326): the SRID the server fills in',
    sql: 'CREATE EXTENSION postgis; CREATE TABLE t (id integer PRIMARY KEY, g geography(Point,4326))',
    extension: '{}',
    columns: '          g: { type: "geography(point)" }\n',
    same: true,
  },
  {
    name: 'gis.geometry(point,4326) with PostGIS in a schema not on the search path',
    sql: 'CREATE SCHEMA gis; CREATE EXTENSION postgis SCHEMA gis; CREATE TABLE t (id integer PRIMARY KEY, g gis.geometry(Point,4326), a gis.geometry[])',
    extension: '{ schema: gis }',
    schemas: '  gis: {}\n',
    columns: '          g: { type: "GIS.geometry(point,4326)" }\n          a: { type: "gis.geometry []" }\n',
    same: true,
  },
  {
    name: 'geometry(Point,3857) is not geometry(Point,4326): the SRID differs',
    sql: 'CREATE EXTENSION postgis; CREATE TABLE t (id integer PRIMARY KEY, g geometry(Point,4326))',
    extension: '{}',
    columns: '          g: { type: "geometry(point,3857)" }\n',
    same: false,
  },
  {
    name: 'geometry(PointZ,4326) is not geometry(Point,4326), nor geometry the untyped one',
    sql: 'CREATE EXTENSION postgis; CREATE TABLE t (id integer PRIMARY KEY, g geometry(Point,4326), h geometry(Point,4326))',
    extension: '{}',
    columns: '          g: { type: "geometry(pointz,4326)" }\n          h: { type: geometry }\n',
    same: false,
  },
];

describe('PostGIS type spellings (issue 15 class 2)', () => {
  const database = useTestDatabase();
  const columnTypes = async (d: Db): Promise<string | undefined> =>
    (
      await d.query<{ c: string }>(
        `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) AS c
           FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attnum > 0 AND NOT attisdropped`,
      )
    ).rows[0]?.c;

  for (const c of SPELLINGS) {
    it(`${c.same ? 'no changes' : 'a type change'}: ${c.name}`, async ({ skip }) => {
      if (!available) skip(noPostgis);
      const { db } = database();
      await db.exec(c.sql);
      const yaml =
        `version: 1\nextensions:\n  postgis: ${c.extension}\nschemas:\n${c.schemas ?? ''}  public:\n    tables:\n      t:\n` +
        `        columns:\n          id: { type: integer }\n${c.columns}        primary_key: [id]\n`;
      const first = await planYaml(db, yaml);
      if (c.same) expect(first.plan.steps.map((s) => s.sql)).toEqual([]);
      else expect(first.plan.steps.map((s) => s.sql).join('\n')).toMatch(/ALTER COLUMN "[gh]" TYPE/);
      await executePlan(db, first.plan);
      expect((await planYaml(db, yaml)).plan.steps.map((s) => s.sql)).toEqual([]);
      const fresh = await createTestDatabase();
      try {
        await executePlan(fresh.db, (await planYaml(fresh.db, yaml)).plan);
        expect((await planYaml(fresh.db, yaml)).plan.steps.map((s) => s.sql)).toEqual([]);
        expect(await columnTypes(fresh.db)).toBe(await columnTypes(db));
      } finally {
        await fresh.drop();
      }
    });
  }
});
