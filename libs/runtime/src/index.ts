export * from './run-service';
export * from './start-http-service';
export * from './worker-node-args';
