import { loadConfig } from '../../../../deploy/config.ts';
import { startMedallionApp } from '../../../../topologies/app/medallion-app.ts';
import { SEEDED_RATES } from '../../../../topologies/oracle/seeded-input.ts';

/**
 * One instance of the medallion application in its own process, for the end-to-end tests
 * (so a test can kill -9 it). Environment: E2E_PREFIX, E2E_APP_ID, E2E_STATE_DIR,
 * E2E_REFERENCE (RFM reference time), E2E_PARTITIONS. Gold values are Confluent Avro with the
 * schemas in the registry of loadConfig(), as the platform runs. Prints RUNNING once it runs.
 */
const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};

const app = await startMedallionApp({
  applicationId: env('E2E_APP_ID'),
  brokers: loadConfig().kafka.brokers,
  registryUrl: loadConfig().registry.url,
  pipeline: { prefix: env('E2E_PREFIX'), rates: SEEDED_RATES, rfmReferenceTime: Number(env('E2E_REFERENCE')), rfmScoreIntervalMs: 500, reconciliationSettleMs: 2000 },
  partitions: Number(env('E2E_PARTITIONS')),
  httpPort: 0,
  stateDir: env('E2E_STATE_DIR'),
});
const announce = () => {
  if (app.streams.state === 'RUNNING') console.log(`RUNNING http=${app.streams.httpAddress().port}`);
};
app.streams.setStateListener(announce);
announce();
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
