export * from './run-service';
export * from './start-http-service';
