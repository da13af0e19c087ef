/**
 * Where the test suites find their real servers: PostgreSQL (a role that may create databases)
 * and Redis. Read here so that nothing outside libs/config reads the environment.
 */
export const TEST_SERVERS = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  /** Set to run the log store's contract suite against MongoDB too. */
  mongoUrl: process.env.MONGO_URL,
} as const;
