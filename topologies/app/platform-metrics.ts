import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Metrics of the `npm start` process itself, beside each instance's runtime metrics:
 * process metrics (`streamhouse_` prefix) and the built-in traffic counters. The counter
 * names are the ones the demo had (`streamhouse_demo_*`), which dashboards and the
 * npm-start test read.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly produced = new Counter({ name: 'streamhouse_demo_produced_total', help: 'Events the built-in traffic producer sent to bronze', registers: [this.registry] });
  readonly consumed = new Counter({ name: 'streamhouse_demo_consumed_total', help: 'Bronze events the platform has admitted, rejected or dropped (silver + DLQ + late + duplicates)', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'streamhouse_' });
  }
}
