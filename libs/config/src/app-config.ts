export type DatabaseConfig =
  | { kind: 'sqlite'; url: string; path: string }
  | { kind: 'postgres'; url: string }
  | {
      kind: 'mssql';
      url: string;
      host: string;
      port: number;
      database: string;
      username: string;
      password: string;
      encrypt: boolean;
      trustServerCertificate: boolean;
    };

export interface EncryptionKeyConfig {
  activeKeyId: string;
  keys: ReadonlyArray<{ id: string; material: Buffer }>;
  /** Key whose HMAC blind indexes stay stable across rotation (keep it listed after rotating). */
  blindIndexKeyId: string;
  /** Where the keys came from: the environment, or a key file generated for the embedded default. */
  source: 'env' | 'generated-file' | 'file';
  keyFile?: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The single typed configuration object; built once by `loadConfig`, never from anywhere else. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  logLevel: LogLevel;
  api: { port: number; host: string };
  worker: { healthPort: number; host: string; queues: readonly string[] };
  database: DatabaseConfig;
  migrations: { runOnStart: boolean; lockTimeoutMs: number; lockDir: string };
  redis: { url: string };
  mongo: { url: string | undefined };
  logRetentionDays: number;
  encryption: EncryptionKeyConfig;
  shutdownTimeoutMs: number;
  dataDir: string;
}
