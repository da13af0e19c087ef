export * from './build-entity-metadatas';
export * from './schema-lint';
export * from './schema-lint-problem';
