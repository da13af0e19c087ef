import { FleetMetrics, type JobEnd } from './fleet-metrics';

const ignore = (): void => undefined;

/** Metrics off: every report is dropped. */
export class NoopMetrics extends FleetMetrics {
  microsoftRequest(): void {}
  throttled(): void {}
  jobStarted(): (end: JobEnd) => void {
    return ignore;
  }
  mailboxSynced(): void {}
  runFinished(): void {}
}
