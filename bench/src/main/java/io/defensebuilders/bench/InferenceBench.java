package io.defensebuilders.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.models.text.TextEmbedding;
import io.defensebuilders.testing.onnx.OnnxModels;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * The inference benchmark (issue 18): one small model (a linear layer, FP32 [1, 32] in, [1, 8] out) called five
 * ways in one run, each at 1 and 16 clients: in-process through ONNX Runtime (the floor: the same session options as
 * the service, one intra-op thread), the Open Inference Protocol over gRPC and over REST straight to the inference
 * service (an internal token a platform admin mints at the gateway), and REST and gRPC through the gateway (the
 * bootstrap API key). What our server adds is each protocol's p50 minus in-process p50. Then dynamic batching on the platform's
 * embedding model: the same calls by 64 clients to a copy that batches and to one that does not.
 *
 * <pre>
 * InferenceBench --gateway http://localhost:8080 --inference http://localhost:8086 --key-file F [--seconds 10]
 * </pre>
 */
public final class InferenceBench {

    private static final int IN = 32, OUT = 8;
    private static final String MODEL = "bench-linear";

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Args.parse(args);
        URI gateway = URI.create(o.getOrDefault("gateway", "http://localhost:8080"));
        URI inference = URI.create(o.getOrDefault("inference", "http://localhost:8086"));
        String key = Files.readString(Path.of(o.getOrDefault("key-file", ".platform/keys/bootstrap-api-key"))).trim();
        Duration duration = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "10")));
        int clients = Integer.parseInt(o.getOrDefault("concurrency", "16"));
        int batchingClients = Integer.parseInt(o.getOrDefault("batching-concurrency", "64"));
        Path out = Path.of(o.getOrDefault("out", "bench/results"));
        URI inferenceMetrics = URI.create(o.getOrDefault("inference-metrics", "http://localhost:9086/q/metrics"));

        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        float[][] w = new float[IN][OUT];
        float[] b = new float[OUT];
        for (int i = 0; i < IN; i++) {
            for (int j = 0; j < OUT; j++) {
                w[i][j] = (float) Math.sin(i * OUT + j);
            }
        }
        byte[] model = OnnxModels.linear(w, b);
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/inference/models?name="
                + MODEL + "&version=1")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(model))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (upload.statusCode() != 201 && upload.statusCode() != 409) {
            throw new IllegalStateException("upload: " + upload.statusCode() + " " + upload.body());
        }
        // the direct calls go as the model's owner (the key's tenant): a private model is invisible to any other
        HttpResponse<String> owner = http.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/inference/models/"
                + MODEL)).header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        String tenant = json.readTree(owner.body()).path("tenant").asText();
        // internal tokens live about a minute: one minted before each measurement
        java.util.concurrent.Callable<String> mint = () -> {
            HttpResponse<String> minted = http.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/gateway/tokens"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("tenant", tenant,
                            "subject", "inference-bench", "roles", List.of("platform-admin")))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (minted.statusCode() != 200) {
                throw new IllegalStateException("mint: " + minted.statusCode() + " " + minted.body());
            }
            return json.readTree(minted.body()).path("token").asText();
        };

        float[] x = new float[IN];
        for (int i = 0; i < IN; i++) {
            x[i] = i / (float) IN;
        }
        StringBuilder body = new StringBuilder("{\"inputs\":[{\"name\":\"X\",\"shape\":[1," + IN
                + "],\"datatype\":\"FP32\",\"data\":[");
        for (int i = 0; i < IN; i++) {
            body.append(i == 0 ? "" : ",").append(x[i]);
        }
        String restBody = body.append("]}]}").toString();
        ByteBuffer raw = ByteBuffer.allocate(4 * IN).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : x) {
            raw.putFloat(f);
        }
        ModelInferRequest grpcRequest = ModelInferRequest.newBuilder().setModelName(MODEL)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(1).addShape(IN))
                .addRawInputContents(ByteString.copyFrom(raw.flip())).build();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        ManagedChannel channel = ManagedChannelBuilder.forAddress(inference.getHost(), inference.getPort())
                .usePlaintext().build();
        ManagedChannel gatewayChannel = ManagedChannelBuilder.forAddress(gateway.getHost(), gateway.getPort())
                .usePlaintext().build();
        URI direct = inference.resolve("/v2/models/" + MODEL + "/infer");
        URI viaGateway = gateway.resolve("/v2/models/" + MODEL + "/infer");
        Duration warmup = Duration.ofSeconds(3);
        List<Load.Result> results = new ArrayList<>();
        // the inference service's own timing of the calls (its metrics), by operation/clients: what the server spends
        // from a request's arrival to its answer, without the client's stack and the loopback
        Map<String, Double> serverMeans = new LinkedHashMap<>();
        try (OrtSession session = env.createSession(model, options)) {
            for (int c : new int[] { 1, clients }) {
                results.add(Load.run("in-process ONNX Runtime", c, warmup, duration, worker -> {
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] { 1, IN });
                            OrtSession.Result r = session.run(Map.of("X", t))) {
                        return r.size() == 1;
                    }
                }));
                var stub = grpcAs(channel, mint.call());
                double[] grpcBefore = serverTime(http, inferenceMetrics, SERVER_TIMER, GRPC_CALLS);
                results.add(Load.run("OIP gRPC, direct", c, warmup, duration, worker -> infer(stub, grpcRequest)));
                serverMeans.put("OIP gRPC, direct/" + c, meanSince(grpcBefore,
                        serverTime(http, inferenceMetrics, SERVER_TIMER, GRPC_CALLS)));
                String token = mint.call();
                double[] restBefore = serverTime(http, inferenceMetrics, SERVER_TIMER, REST_CALLS);
                double[] usageBefore = serverTime(http, inferenceMetrics, USAGE_TIMER, "");
                results.add(Load.run("OIP REST, direct", c, warmup, duration, worker -> post(http, direct, token,
                        restBody)));
                serverMeans.put("OIP REST, direct/" + c, meanSince(restBefore,
                        serverTime(http, inferenceMetrics, SERVER_TIMER, REST_CALLS)));
                serverMeans.put("usage event write/" + c, meanSince(usageBefore,
                        serverTime(http, inferenceMetrics, USAGE_TIMER, "")));
                results.add(Load.run("OIP REST, via gateway", c, warmup, duration, worker -> post(http, viaGateway, key,
                        restBody)));
                var viaGatewayStub = grpcAs(gatewayChannel, key);
                results.add(Load.run("OIP gRPC, via gateway", c, warmup, duration,
                        worker -> infer(viaGatewayStub, grpcRequest)));
            }
            results.addAll(batching(http, inference, channel, mint, batchingClients, warmup, duration));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            gatewayChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.println();
        System.out.println(Load.Result.header());
        results.forEach(r -> System.out.println(r.row()));
        System.out.println();
        double on = rate(results, EMBEDDING_BATCHED, batchingClients);
        double off = rate(results, EMBEDDING_ALONE, batchingClients);
        System.out.printf("%d clients of %s: %.0f calls/s batched, %.0f one by one (x%.2f)%n", batchingClients,
                TextEmbedding.NAME, on, off, on / off);
        for (int c : new int[] { 1, clients }) {
            double floor = p50(results, "in-process ONNX Runtime", c);
            Double usage = serverMeans.get("usage event write/" + c);
            if (usage != null) {
                System.out.printf("%d client(s): each REST call's usage event write (insert and commit) took %.0f µs%n", c,
                        usage * 1e6);
            }
            for (String name : List.of("OIP gRPC, direct", "OIP REST, direct", "OIP REST, via gateway",
                    "OIP gRPC, via gateway")) {
                Double server = serverMeans.get(name + "/" + c);
                System.out.printf("%d client(s): %s adds %.0f µs at p50 over in-process%s%n", c, name,
                        (p50(results, name, c) - floor) * 1000, server == null ? ""
                                : String.format("; the service's own mean time per call %.0f µs", server * 1e6));
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("startedAt", Instant.now().toString());
        report.put("model", "linear FP32 [1," + IN + "] -> [1," + OUT + "]");
        report.put("cpus", Runtime.getRuntime().availableProcessors());
        report.put("results", results);
        report.put("serverMeanSeconds", serverMeans);
        Files.createDirectories(out);
        Path file = out.resolve("inference-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        System.out.println("\nwritten to " + file);
        System.exit(0);
    }

    /** A blocking stub on {@code channel} that calls with {@code credential} (a token or an API key). */
    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpcAs(ManagedChannel channel,
            String credential) {
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
        return GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
    }

    /** One ModelInfer call; whether it answered with one output. */
    private static boolean infer(GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub,
            ModelInferRequest request) {
        try {
            return stub.withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request).getRawOutputContentsCount() == 1;
        } catch (RuntimeException e) {
            firstFailure("gRPC " + request.getModelName() + ": " + e);
            throw e;
        }
    }

    /**
     * Quarkus' HTTP server timer (Micrometer, as Prometheus names it), from a request's arrival to its answer's end,
     * and the labels of the calls the bench makes: gRPC calls are HTTP/2 requests to it too.
     */
    private static final String SERVER_TIMER = "http_server_requests_seconds",
            REST_CALLS = "uri=\"/v2/models/{model}/infer\"",
            GRPC_CALLS = "uri=\"/inference.GRPCInferenceService/ModelInfer\"",
            /** The service's timer of a call's usage event write (outbox insert and commit), which the answer awaits. */
            USAGE_TIMER = "dbp_inference_usage_writes_seconds";

    /**
     * The sum (seconds) and count of timer {@code name}'s series whose labels contain {@code labelPart}, from the
     * service's Prometheus metrics; NaNs when it has none (or no metrics answer).
     */
    private static double[] serverTime(HttpClient http, URI metrics, String name, String labelPart) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = 0, count = 0;
            boolean found = false;
            for (String line : r.body().split("\n")) {
                boolean isSum = line.startsWith(name + "_sum{") || line.startsWith(name + "_sum "),
                        isCount = line.startsWith(name + "_count{") || line.startsWith(name + "_count ");
                if ((isSum || isCount) && line.substring(0, Math.max(0, line.lastIndexOf('}'))).contains(labelPart)) {
                    double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                    if (isSum) {
                        sum += v;
                    } else {
                        count += v;
                    }
                }
            }
            return found ? new double[] { sum, count } : new double[] { Double.NaN, Double.NaN };
        } catch (Exception e) {
            return new double[] { Double.NaN, Double.NaN };
        }
    }

    /** Mean seconds per call between two {@link #serverTime} readings; null when either has none. */
    private static Double meanSince(double[] before, double[] after) {
        // no series before: no such call yet
        double calls = after[1] - (Double.isNaN(before[1]) ? 0 : before[1]);
        double seconds = after[0] - (Double.isNaN(before[0]) ? 0 : before[0]);
        return Double.isNaN(calls) || calls <= 0 ? null : seconds / calls;
    }

    private static final String EMBEDDING_BATCHED = "MiniLM gRPC, batched", EMBEDDING_ALONE = "MiniLM gRPC, one by one";

    /**
     * Dynamic batching on the embedding model: the platform's all-MiniLM-L6-v2 uploaded twice by the bench's tenant,
     * once batching (up to 32 rows a run, no added delay: calls merge while the version's slots are busy) and once
     * with batching off, each called by {@code clients} clients at once over gRPC with one sentence (16 tokens).
     */
    private static List<Load.Result> batching(HttpClient http, URI inference, ManagedChannel channel,
            java.util.concurrent.Callable<String> mint, int clients, Duration warmup, Duration duration)
            throws Exception {
        byte[] model;
        try (var in = InferenceBench.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the class path");
            }
            model = in.readAllBytes();
        }
        TextEmbedding.Tokens tokens;
        try (TextEmbedding embedding = TextEmbedding.load()) {
            tokens = embedding.encode(List.of("warn me before two orbiting objects come too close to each other"));
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
        for (String input : TextEmbedding.INPUTS) {
            long[] values = tokens.input(input);
            ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                raw.putLong(v);
            }
            request.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(input).setDatatype("INT64")
                    .addShape(tokens.rows()).addShape(tokens.tokens()))
                    .addRawInputContents(ByteString.copyFrom(raw.flip()));
        }
        List<Load.Result> results = new ArrayList<>();
        for (String[] variant : List.of(new String[] { "bench-minilm-batched", "32", EMBEDDING_BATCHED },
                new String[] { "bench-minilm-alone", "1", EMBEDDING_ALONE })) {
            String token = mint.call();
            // a model of 90 MB is sent once: a later run finds it (an upload refused as a duplicate is answered
            // before its body is read, and the connection closed)
            HttpResponse<String> known = http.send(HttpRequest.newBuilder(inference.resolve("/api/v1/inference/models/"
                    + variant[0])).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> upload = known.statusCode() == 200 ? known
                    : http.send(HttpRequest.newBuilder(inference.resolve(
                            "/api/v1/inference/models?name=" + variant[0] + "&version=1&maxBatchSize=" + variant[1]
                                    + "&maxQueueDelayMicros=0"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(model)).build(), HttpResponse.BodyHandlers.ofString());
            if (upload.statusCode() != 200 && upload.statusCode() != 201) {
                throw new IllegalStateException("upload of " + variant[0] + ": " + upload.statusCode() + " "
                        + upload.body());
            }
            ModelInferRequest call = request.clone().setModelName(variant[0]).build();
            var stub = grpcAs(channel, mint.call());
            results.add(Load.run(variant[2], clients, warmup, duration, worker -> infer(stub, call)));
        }
        return results;
    }

    private static double rate(List<Load.Result> results, String name, int concurrency) {
        return results.stream().filter(r -> r.name().equals(name) && r.concurrency() == concurrency).findFirst()
                .orElseThrow().perSecond();
    }

    private static boolean post(HttpClient http, URI uri, String bearer, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            firstFailure(uri + ": " + r.statusCode() + " " + r.body());
        }
        return r.statusCode() == 200;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean FAILED = new java.util.concurrent.atomic.AtomicBoolean();

    /** The first failure of the run, printed once: what a row's errors were. */
    private static void firstFailure(String what) {
        if (FAILED.compareAndSet(false, true)) {
            System.err.println("first failure: " + what);
        }
    }

    private static double p50(List<Load.Result> results, String name, int concurrency) {
        return results.stream().filter(r -> r.name().equals(name) && r.concurrency() == concurrency).findFirst()
                .orElseThrow().p50Ms();
    }
}
