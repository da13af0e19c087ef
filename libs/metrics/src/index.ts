export * from './fleet-metrics';
export * from './metrics-server';
export * from './metrics.module';
export * from './noop-metrics';
export * from './prometheus-metrics';
