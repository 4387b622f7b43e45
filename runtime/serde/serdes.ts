import { AvroSerde, type AvroSerdeOptions } from './avro-serde.ts';
import { BytesSerde } from './bytes-serde.ts';
import { JsonSerde } from './json-serde.ts';
import { DoubleSerde, LongSerde } from './long-serde.ts';
import type { Serde } from './serde.ts';
import { StringSerde } from './string-serde.ts';

const stringSerde = new StringSerde();
const bytesSerde = new BytesSerde();
const longSerde = new LongSerde();
const doubleSerde = new DoubleSerde();
const jsonSerde = new JsonSerde<unknown>();

/** The built-in serdes, named as in Kafka's `Serdes` class. */
export const Serdes = {
  /** UTF-8 text. */
  String: (): Serde<string> => stringSerde,
  /** JSON as UTF-8 text; the type parameter is not checked at run time. */
  Json: <T>(): Serde<T> => jsonSerde as Serde<T>,
  /** Bytes unchanged. */
  Bytes: (): Serde<Buffer> => bytesSerde,
  /** A safe integer as a signed 64-bit big-endian long (Kafka's LongSerde). */
  Long: (): Serde<number> => longSerde,
  /** Alias of Long. */
  Number: (): Serde<number> => longSerde,
  /** A float as a 64-bit big-endian IEEE-754 double (Kafka's DoubleSerde). */
  Double: (): Serde<number> => doubleSerde,
  /** Confluent Avro; see AvroSerde. */
  Avro: <T>(options: AvroSerdeOptions): AvroSerde<T> => new AvroSerde<T>(options),
};
