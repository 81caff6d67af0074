package io.defensebuilders.testing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The shared servers are real: SQL with the extensions services use, a Kafka round trip, Redis commands. */
class SharedInfraTest {

    @Test
    void postgresRunsSqlAndHasTrigramSearch() throws Exception {
        SharedInfra.Database db = SharedInfra.postgres();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
            ResultSet rs = s.executeQuery("SELECT similarity('tak-server', 'tak servr') > 0.3, current_database()");
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1));
            assertEquals(db.name(), rs.getString(2));
        }
    }

    @Test
    void kafkaDeliversWhatWasProduced() {
        String topic = "infra-test-" + UUID.randomUUID();
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            producer.send(new ProducerRecord<>(topic, "tenant-a", "hello")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-test");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    var record = records.iterator().next();
                    assertEquals("tenant-a", record.key());
                    assertEquals("hello", record.value());
                    return;
                }
            }
        }
        throw new AssertionError("nothing consumed from " + topic);
    }

    @Test
    void redisAnswersCommands() throws IOException {
        String url = SharedInfra.redis();
        var uri = java.net.URI.create(url);
        assertEquals("+OK\r\n", redis(uri.getHost(), uri.getPort(), "SET infra-test 42\r\n", 5));
        assertEquals("$2\r\n42\r\n", redis(uri.getHost(), uri.getPort(), "GET infra-test\r\n", 8));
    }

    @Test
    void redisFromMavenCentralRunsWhereNoPackageIsInstalled() throws IOException {
        Path dir = Files.createTempDirectory("dbp-redis-fallback");
        RedisServer server = RedisServer.start(RedisServer.bundledBinary(), dir.resolve("redis"), Ports.free(), false, false);
        try {
            assertEquals("+PONG\r\n", redis("127.0.0.1", server.port(), "PING\r\n", 7));
        } finally {
            server.stop();
            Extract.deleteTree(dir);
        }
    }

    static String redis(String host, int port, String command, int replyLength) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(replyLength), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aSecondClassLoaderFindsTheSameServers() throws Exception {
        // as in a Quarkus test: the test resources and the application load this class through different loaders
        String redis = SharedInfra.redis();
        java.net.URL classes = SharedInfra.class.getProtectionDomain().getCodeSource().getLocation();
        try (java.net.URLClassLoader other = new java.net.URLClassLoader(new java.net.URL[] { classes },
                ClassLoader.getPlatformClassLoader())) {
            Class<?> twin = other.loadClass(SharedInfra.class.getName());
            assertTrue(twin != SharedInfra.class);
            assertEquals(redis, twin.getMethod("redis").invoke(null));
            assertEquals(SharedInfra.postgres().name(),
                    twin.getMethod("postgres").invoke(null).getClass().getMethod("name").invoke(
                            twin.getMethod("postgres").invoke(null)));
        }
    }
}
