package dev.streamhouse.bench;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Kafka Streams side of the runtime benchmark (benchmarks/runtime/). Mode "count"
 * (default): string keys from the input topic counted per key in a persistent store
 * (RocksDB, cached), counts written to the output topic as 8-byte big-endian longs.
 * Mode "passthrough": input copied to output. Arguments: bootstrap, application id,
 * input, output, guarantee (at_least_once | exactly_once), commit interval ms, cache
 * bytes, state dir, mode.
 * Prints RUNNING when the instance is running and stops on SIGTERM.
 */
public final class CountApp {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    String guarantee = args[4].equals("exactly_once") ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE;
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, args[5]);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, args[6]);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args[7]);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");

    StreamsBuilder builder = new StreamsBuilder();
    String mode = args.length > 8 ? args[8] : "count";
    if (mode.equals("passthrough")) {
      builder.stream(args[2], Consumed.with(Serdes.String(), Serdes.String()))
          .to(args[3], Produced.with(Serdes.String(), Serdes.String()));
    } else {
      builder.stream(args[2], Consumed.with(Serdes.String(), Serdes.String()))
          .groupByKey()
          .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts"))
          .toStream()
          .to(args[3], Produced.with(Serdes.String(), Serdes.Long()));
    }

    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    CountDownLatch done = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      System.out.println("STATE " + now);
      System.out.flush();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close();
      done.countDown();
    }));
    streams.start();
    done.await();
  }
}
