import { DynamicModule, Global, Module } from '@nestjs/common';
import { FleetMetrics } from './fleet-metrics';
import { PrometheusMetrics } from './prometheus-metrics';

/**
 * The metrics port for one process (`service`: admin-api or worker), global so adapters anywhere
 * report through it. The registry always exists; whether a port serves it is the process
 * entry's choice (startMetricsServer), as listening on the API port is.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(service: string): DynamicModule {
    const metrics = new PrometheusMetrics(service);
    return {
      module: MetricsModule,
      providers: [
        { provide: PrometheusMetrics, useValue: metrics },
        { provide: FleetMetrics, useValue: metrics },
      ],
      exports: [PrometheusMetrics, FleetMetrics],
    };
  }
}
