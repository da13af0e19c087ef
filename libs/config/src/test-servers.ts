/**
 * Where the test suites find their real servers: PostgreSQL (a role that may create databases)
 * and Redis. Read here so that nothing outside libs/config reads the environment.
 */
export const TEST_SERVERS = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  /** Set to run the log store's contract suite against MongoDB too. */
  mongoUrl: process.env.MONGO_URL,
  /** Requests of the admin API fuzz test (CI runs a short variant; 2000+ for the full one). */
  fuzzRequests: Number(process.env.FUZZ_REQUESTS ?? 400),
  /** Seed of the fuzz test's generator, to replay a failing run. */
  fuzzSeed: Number(process.env.FUZZ_SEED ?? 20261205),
} as const;
