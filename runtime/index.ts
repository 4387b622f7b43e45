// The public entry of the streaming engine: everything a topology, a connector or an
// application needs. Modules under `internal/` folders are private to the runtime.

// DSL
export { StreamsBuilder } from './dsl/streams-builder.ts';
export { KStream } from './dsl/kstream.ts';
export { BranchedKStream, type Branched } from './dsl/branched-kstream.ts';
export { KTable } from './dsl/ktable.ts';
export { GlobalKTable } from './dsl/global-ktable.ts';
export { KGroupedStream } from './dsl/kgrouped-stream.ts';
export { KGroupedTable } from './dsl/kgrouped-table.ts';
export type { Consumed, Produced, Grouped, Repartitioned, Materialized, Named, KeyValue, TopicDescriptor } from './dsl/options.ts';
export type { Change } from './dsl/internal/change.ts';

// Topology and Processor API
export { Topology, type SourceOptions, type SinkOptions } from './dsl/topology.ts';
export type { TopologyDescription, SubtopologyDescription, NodeDescription } from './dsl/topology-description.ts';
export type { Processor, ProcessorContext, ProcessorSupplier, PunctuationType, Cancellable } from './processor/processor.ts';
export type { StreamRecord, Headers, RecordMetadata } from './processor/record.ts';
export { recordTimestampExtractor, type TimestampExtractor } from './processor/timestamp-extractor.ts';
export type { StreamPartitioner } from './processor/stream-partitioner.ts';

// Serdes
export type { Serde } from './serde/serde.ts';
export { Serdes } from './serde/serdes.ts';
export { StringSerde } from './serde/string-serde.ts';
export { JsonSerde } from './serde/json-serde.ts';
export { BytesSerde } from './serde/bytes-serde.ts';
export { LongSerde, DoubleSerde } from './serde/long-serde.ts';
export { AvroSerde, type AvroSerdeOptions } from './serde/avro-serde.ts';
export { topicSubject, type SchemaResolver, type AvroSchema } from './serde/schema-resolver.ts';
export { InMemorySchemaResolver } from './serde/in-memory-schema-resolver.ts';
export { RegistrySchemaResolver, SchemaRegistryError, type RegistrySchemaResolverOptions } from './serde/registry-schema-resolver.ts';

// State
export type { StateStore, StateStoreContext, KeyValueStore, KeyValueIteratorEntry } from './state/state-store.ts';
export { Stores, KeyValueStoreBuilder, type StoreBuilder, type KeyValueBytesStoreSupplier, type SerdeDefaults } from './state/stores.ts';
export { InMemoryKeyValueStore } from './state/in-memory-key-value-store.ts';
export { LevelKeyValueStore } from './state/level-key-value-store.ts';
export type { WindowStore, WindowEntry, WindowValue, WindowStoreOptions } from './state/window-store.ts';
export type { SessionStore, SessionEntry, SessionStoreOptions } from './state/session-store.ts';
export type { StoreMetrics, StoreOperation } from './state/metered-key-value-store.ts';

// Errors
export { StreamsError, type ErrorContext } from './errors/streams-error.ts';
export { TopologyError, StoreNotFoundError, SerdeError, ProcessingError, NullKeyError, NullValueError, ConfigError } from './errors/runtime-errors.ts';
export {
  DLQ_HEADERS,
  defaultDeadLetterTopic,
  type ExceptionHandler,
  type ExceptionHandlerFunction,
  type ErrorHandlerContext,
  type HandlerResponse,
} from './errors/exception-handlers.ts';
export { consoleLogger, silentLogger, type Logger } from './errors/logger.ts';

// Time
export { ManualClock, systemClock, type Clock } from './time/clock.ts';

// Event time, windows and joins
export { valueFieldTimestampExtractor, InvalidTimestampError } from './time/timestamp-extractors.ts';
export type { IdlePolicy } from './time/idle-policy.ts';
export { TimeWindows, type TumblingOptions, type HoppingOptions } from './windows/time-windows.ts';
export { SlidingWindows, type SlidingOptions } from './windows/sliding-windows.ts';
export { SessionWindows, type SessionOptions } from './windows/session-windows.ts';
export { CountWindows } from './windows/count-windows.ts';
export { DEFAULT_GRACE_MS, type Window, type Windowed } from './windows/window.ts';
export { WindowedSerde } from './windows/windowed-serde.ts';
export type { EmitMode } from './windows/emit-mode.ts';
export type { Duration } from './windows/duration.ts';
export { LATE_HEADERS, CORRECTION_HEADER, defaultLateEventsTopic, type LateReason } from './windows/late-events.ts';
export { TimeWindowedKStream } from './dsl/time-windowed-kstream.ts';
export { SessionWindowedKStream } from './dsl/session-windowed-kstream.ts';
export { CountWindowedKStream } from './dsl/count-windowed-kstream.ts';
export { Suppressed } from './dsl/suppressed.ts';
export { JoinWindows, type JoinWindowsOptions } from './dsl/join-windows.ts';
export type { Joined, StreamJoined, JoinType } from './dsl/joined.ts';
export { VersionedKTable, type VersionedMaterialized } from './dsl/versioned-ktable.ts';
export { VersionedKeyValueStore, type VersionedRecord } from './state/versioned-key-value-store.ts';
export { TtlKeyValueStore } from './state/ttl-key-value-store.ts';

// Running on Kafka
export { KafkaStreams, type KafkaStreamsExtras } from './task/kafka-streams.ts';
export { DEFAULTS as KAFKA_STREAMS_DEFAULTS, type KafkaStreamsConfig, type KafkaStreamsOptions, type ProcessingGuarantee } from './task/kafka-streams-config.ts';
export type { StreamsState, StateListener } from './task/streams-state.ts';
export { StreamsMetrics } from './metrics/streams-metrics.ts';
export type { RouteHandler } from './metrics/metrics-server.ts';

// Testing
export { TopologyTestDriver, type TopologyTestDriverConfig } from './testing/topology-test-driver.ts';
export { TestInputTopic } from './testing/test-input-topic.ts';
export { TestOutputTopic } from './testing/test-output-topic.ts';
export type { TestRecord } from './testing/test-record.ts';
