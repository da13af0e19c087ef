import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../entities';
import { SnakeNamingStrategy } from '../snake-naming.strategy';
import { buildEntityMetadatas, type EntityClass } from './build-entity-metadatas';
import { CaseSensitiveUniqueFixture } from './fixtures/case-sensitive-unique.fixture';
import { FilteredUniqueFixture } from './fixtures/filtered-unique.fixture';
import {
  LongIndexKeyFixture,
  LongPrimaryKeyFixture,
  TextIndexKeyFixture,
} from './fixtures/index-key-too-long.fixture';
import {
  CascadeTreeFixture,
  MULTIPLE_CASCADE_PATHS_FIXTURE,
} from './fixtures/multiple-cascade-paths.fixture';
import {
  NullableUniqueColumnFixture,
  NullableUniqueIndexFixture,
} from './fixtures/nullable-unique.fixture';
import { TimestampTypeFixture } from './fixtures/timestamp-type.fixture';
import { lintSchemaForSqlServer } from './schema-lint';

// Each call builds its own DataSource, so fixtures never leak into one another or into ENTITIES.
const lint = async (entities: EntityClass[]) =>
  lintSchemaForSqlServer(await buildEntityMetadatas(entities));

describe('lintSchemaForSqlServer', () => {
  it('finds nothing in the real entities', async () => {
    expect(await lint(ENTITIES)).toEqual([]);
  });

  it('finds nothing in the real entities built by the embedded SQLite DataSource either', async () => {
    const dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: ENTITIES,
      namingStrategy: new SnakeNamingStrategy(),
    });
    await dataSource.initialize();
    try {
      expect(dataSource.entityMetadatas).toHaveLength(ENTITIES.length);
      expect(lintSchemaForSqlServer(dataSource.entityMetadatas)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('nullable-unique: a unique index over a nullable column without a filter', async () => {
    const problems = await lint([NullableUniqueIndexFixture]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: 'nullable-unique',
      entity: 'NullableUniqueIndexFixture',
    });
    expect(problems[0]!.message).toContain('uq_lint_nullable_unique_email_key');
    expect(problems[0]!.message).toContain('email_key');
    expect(problems[0]!.message).toContain("where: 'email_key IS NOT NULL'");
  });

  it('nullable-unique: a unique nullable column (unique constraint)', async () => {
    const problems = await lint([NullableUniqueColumnFixture]);
    expect(problems.map((p) => p.rule)).toEqual(['nullable-unique']);
    expect(problems[0]!.message).toMatch(
      /unique constraint \S+ on table lint_nullable_unique_column/,
    );
    expect(problems[0]!.message).toContain('external_key');
  });

  it('accepts a filtered unique index over a nullable column', async () => {
    expect(await lint([FilteredUniqueFixture])).toEqual([]);
  });

  it('multiple-cascade-paths: two cascading paths (CASCADE and SET NULL) to one table', async () => {
    const problems = await lint(MULTIPLE_CASCADE_PATHS_FIXTURE);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: 'multiple-cascade-paths',
      entity: 'CascadeLeafFixture',
    });
    expect(problems[0]!.message).toContain(
      'table lint_cascade_leaf is reached from table lint_cascade_root',
    );
    expect(problems[0]!.message).toContain(
      'lint_cascade_branch_a(root_id) → lint_cascade_leaf(branch_a_id)',
    );
    expect(problems[0]!.message).toContain(
      'lint_cascade_branch_b(root_id) → lint_cascade_leaf(branch_b_id)',
    );
  });

  it('multiple-cascade-paths: a self-referencing SET NULL key is a cycle', async () => {
    const problems = await lint([CascadeTreeFixture]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: 'multiple-cascade-paths',
      entity: 'CascadeTreeFixture',
    });
    expect(problems[0]!.message).toContain('cycle through table lint_cascade_tree');
    expect(problems[0]!.message).toContain('lint_cascade_tree(parent_id)');
  });

  it('timestamp-type: a timestamp column', async () => {
    const problems = await lint([TimestampTypeFixture]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: 'timestamp-type', entity: 'TimestampTypeFixture' });
    expect(problems[0]!.message).toContain('lint_timestamp_type.last_seen_at');
    expect(problems[0]!.message).toContain('rowversion');
  });

  it('index-key-too-long: string columns adding up to more than 900 bytes', async () => {
    const problems = await lint([LongIndexKeyFixture]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: 'index-key-too-long',
      entity: 'LongIndexKeyFixture',
    });
    expect(problems[0]!.message).toContain('index ix_lint_long_key_title on table lint_long_key');
    expect(problems[0]!.message).toContain('up to 1000 bytes');
    expect(problems[0]!.message).toContain(
      'title varchar(300) = 600 B, subtitle varchar(200) = 400 B',
    );
  });

  it('index-key-too-long: a text column is unbounded', async () => {
    const problems = await lint([TextIndexKeyFixture]);
    expect(problems.map((p) => p.rule)).toEqual(['index-key-too-long']);
    expect(problems[0]!.message).toContain('index ix_lint_text_key_body');
    expect(problems[0]!.message).toContain('body text = unbounded');
  });

  it('index-key-too-long: counts the primary key', async () => {
    const problems = await lint([LongPrimaryKeyFixture]);
    expect(problems.map((p) => p.rule)).toEqual(['index-key-too-long']);
    expect(problems[0]!.message).toContain('primary key of table lint_long_primary_key');
    expect(problems[0]!.message).toContain('url varchar(500) = 1000 B');
  });

  it('case-sensitive-unique: a unique string column not marked @NormalizedKey()', async () => {
    const problems = await lint([CaseSensitiveUniqueFixture]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: 'case-sensitive-unique',
      entity: 'CaseSensitiveUniqueFixture',
    });
    expect(problems[0]!.message).toContain('uq_lint_case_sensitive_tenant_email');
    expect(problems[0]!.message).toContain('column email (property email)');
    expect(problems[0]!.message).not.toContain('tenant_id');
  });
});
