export * from './check-database';
export * from './check-redis';
export * from './health-check';
export * from './health.module';
