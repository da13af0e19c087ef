export * from './app-config';
export * from './child-process-env';
export * from './config-error';
export * from './config.module';
export * from './config.tokens';
export * from './load-config';
export * from './load-config-or-exit';
export * from './test-servers';
