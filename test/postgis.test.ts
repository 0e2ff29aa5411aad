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
