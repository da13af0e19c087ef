export * from './logger-options';
export * from './logging.module';
export * from './redact-paths';
