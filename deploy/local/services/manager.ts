import type { PlatformConfig } from '../../config.ts';
import { usesLocal } from '../../config.ts';
import { kafka } from './kafka.ts';
import { objectStore } from './object-store.ts';
import { registry } from './registry.ts';
import { catalog } from './catalog.ts';
import { logFile, logTail, ownedPid, portOpen, SetupError, sleep, stopOwned, type LocalService } from './service.ts';

/**
 * The local services in start order. The schema registry and the Iceberg REST catalog
 * are streamhouse's own processes; they join this list (after kafka and the object
 * store, which they need) as `registry` and `catalog`.
 */
export function localServices(config: PlatformConfig): LocalService[] {
  const local = usesLocal(config);
  const all: [boolean, LocalService][] = [
    [local.kafka, kafka],
    [local.objectStore, objectStore],
    [local.registry, registry],
    [local.catalog, catalog],
  ];
  return all.filter(([on]) => on).map(([, s]) => s);
}

export type ServiceState = 'running' | 'stopped' | 'foreign';

export interface StatusRow {
  name: string;
  state: ServiceState;
  pid?: number;
  address: string;
  log: string;
}

export async function status(config: PlatformConfig): Promise<StatusRow[]> {
  const rows: StatusRow[] = [];
  for (const s of localServices(config)) {
    const { host, port } = s.address(config);
    const pid = ownedPid(s.name);
    const open = await portOpen(host, port);
    const state: ServiceState = pid !== undefined ? 'running' : open ? 'foreign' : 'stopped';
    rows.push({ name: s.name, state, ...(pid !== undefined ? { pid } : {}), address: `${host}:${port}`, log: logFile(s.name) });
  }
  return rows;
}

/**
 * Installs and starts every local service that is not running yet. Returns the names
 * of those this call started, so that the caller can stop exactly those. If any
 * service fails, the ones this call started are stopped again: no half-started state.
 */
export async function up(config: PlatformConfig, log = console.log): Promise<string[]> {
  const started: string[] = [];
  try {
    for (const s of localServices(config)) {
      const { host, port } = s.address(config);
      if (ownedPid(s.name) !== undefined) {
        if (await waitReady(s, config, s.startTimeoutMs)) {
          await s.afterStart?.(config);
          log(`[services] ${s.name}: already running on ${host}:${port}`);
          continue;
        }
        throw new SetupError(`${s.name}: our process is alive but does not answer on ${host}:${port}. Run "npm run services:down" and retry. Log: ${logFile(s.name)}\n${logTail(s.name)}`);
      }
      if (await portOpen(host, port)) {
        throw new SetupError(`${s.name}: port ${port} on ${host} is already in use by a process streamhouse did not start. Stop that process, or point streamhouse at it (see README, "Using existing services").`);
      }
      const t0 = performance.now();
      await s.install(config);
      const pid = await s.start(config);
      started.push(s.name);
      if (!(await waitReady(s, config, s.startTimeoutMs, pid))) {
        throw new SetupError(`${s.name} did not become ready on ${host}:${port} within ${s.startTimeoutMs / 1000} s. Log: ${logFile(s.name)}\n${logTail(s.name)}`);
      }
      await s.afterStart?.(config);
      log(`[services] ${s.name}: started on ${host}:${port} (pid ${pid}) in ${((performance.now() - t0) / 1000).toFixed(1)} s; log ${logFile(s.name)}`);
    }
    return started;
  } catch (err) {
    for (const name of started.reverse()) await stopOwned(name);
    throw err;
  }
}

/** Stops the named services (default: all), only if this project started them. */
export async function down(config: PlatformConfig, names?: string[], log = console.log): Promise<void> {
  const services = localServices(config).reverse();
  for (const s of services) {
    if (names && !names.includes(s.name)) continue;
    if (await stopOwned(s.name)) log(`[services] ${s.name}: stopped`);
  }
}

async function waitReady(s: LocalService, config: PlatformConfig, timeoutMs: number, pid?: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await s.ready(config)) return true;
    if (pid !== undefined && ownedPid(s.name) === undefined) return false; // it died
    await sleep(250);
  }
  return false;
}
