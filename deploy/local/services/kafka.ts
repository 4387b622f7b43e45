import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { PlatformConfig } from '../../config.ts';
import { DATA_DIR, PROJECT_CACHE, ROOT, SHARED_CACHE } from '../paths.ts';
import { launch, requireTool, run, SetupError, type LocalService } from './service.ts';

const KAFKA_DIR = join(ROOT, 'deploy', 'local', 'kafka');
const pomVersion = () => /<kafka.version>([^<]+)</.exec(readFileSync(join(KAFKA_DIR, 'pom.xml'), 'utf8'))![1]!;
const libDir = () => join(SHARED_CACHE, `kafka-${pomVersion()}`, 'libs');
const CONTROLLER_PORT = 9093;

/**
 * Apache Kafka as a single-node KRaft broker, from the Maven Central jars named in
 * deploy/local/kafka/pom.xml. The jars are resolved once into the shared cache; the
 * log directory is this checkout's own.
 */
/**
 * A KRaft cluster id: a base64url-encoded random 16-byte UUID. Like Kafka's own
 * `Uuid.randomUuid()`, it never starts with '-': an id such as `-Xb3…` passed as a
 * separate argument is parsed by kafka-storage as an unknown option, and formatting fails
 * (one start in 64 did, before this).
 */
export function newClusterId(random: (n: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export const kafka: LocalService = {
  name: 'kafka',
  startTimeoutMs: 90_000,
  address: (c) => {
    const [host, port] = c.kafka.brokers[0]!.split(':');
    return { host: host!, port: Number(port) };
  },

  async install() {
    const libs = libDir();
    if (existsSync(join(libs, '.complete'))) return;
    requireTool('java', ['-version'], 'Install a Java 17+ JDK (apt-get install openjdk-17-jdk-headless).');
    requireTool('mvn', ['-v'], 'Install Apache Maven 3.8+ (apt-get install maven).');
    console.log(`[setup] kafka: resolving Apache Kafka ${pomVersion()} jars from Maven Central...`);
    mkdirSync(libs, { recursive: true });
    run('Resolving the Kafka broker jars with Maven', 'mvn', [
      '-B', '-q', '-f', join(KAFKA_DIR, 'pom.xml'),
      'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime',
    ]);
    if (!readdirSync(libs).some((f) => f.startsWith('kafka_2.13-'))) {
      throw new SetupError(`Maven ran but ${libs} has no kafka_2.13 jar; delete that folder and retry.`);
    }
    writeFileSync(join(libs, '.complete'), pomVersion());
  },

  async start(c) {
    const { port } = this.address(c);
    const dataDir = join(DATA_DIR, 'kafka');
    const props = join(PROJECT_CACHE, 'kafka-server.properties');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      props,
      readFileSync(join(KAFKA_DIR, 'server.properties'), 'utf8')
        .replaceAll('@LOG_DIRS@', dataDir)
        .replaceAll('@PORT@', String(port))
        .replaceAll('@CONTROLLER_PORT@', String(CONTROLLER_PORT)),
    );
    const cp = `${libDir()}/*`;
    if (!existsSync(join(dataDir, 'meta.properties'))) {
      // `--cluster-id=<id>`: the joined form, so the parser can never read the id as an option.
      run('Formatting the Kafka storage', 'java', [
        '-cp', cp, 'kafka.tools.StorageTool', 'format', `--cluster-id=${newClusterId()}`, '-c', props, '--ignore-formatted',
      ]);
    }
    return launch('kafka', 'java', [
      '-Xms1g', '-Xmx2g', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(KAFKA_DIR, 'log4j2.properties')}`,
      '-cp', cp, 'kafka.Kafka', props,
    ]);
  },

  async ready(c) {
    const admin = new Kafka({ brokers: c.kafka.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  },
};
