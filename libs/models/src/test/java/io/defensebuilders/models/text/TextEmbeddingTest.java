package io.defensebuilders.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * The contract against a reference: the served file run in-process by ONNX Runtime, fed by {@link TextEmbedding#encode}
 * and read by {@link TextEmbedding#pool}, gives langchain4j's embeddings of the same texts; padding a text in a batch
 * does not change its embedding; and the embeddings carry meaning.
 */
class TextEmbeddingTest {

    private static OrtEnvironment env;
    private static OrtSession session;
    private static TextEmbedding embedding;

    @BeforeAll
    static void load() throws Exception {
        env = OrtEnvironment.getEnvironment();
        try (InputStream onnx = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            session = env.createSession(onnx.readAllBytes());
        }
        embedding = TextEmbedding.load();
    }

    @AfterAll
    static void close() throws Exception {
        embedding.close();
        session.close();
    }

    /** The served file run by ONNX Runtime from the raw little-endian tensors a caller sends over the wire. */
    private static TextEmbedding.Output run(List<TextEmbedding.Input> request) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (TextEmbedding.Input in : request) {
                inputs.put(in.name(), OnnxTensor.createTensor(env, in.raw().duplicate().order(ByteOrder.LITTLE_ENDIAN)
                        .asLongBuffer(), in.shape().stream().mapToLong(Long::longValue).toArray()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(TextEmbedding.OUTPUT).orElseThrow();
                FloatBuffer floats = hidden.getFloatBuffer();
                ByteBuffer raw = ByteBuffer.allocate(floats.remaining() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                raw.asFloatBuffer().put(floats);
                return new TextEmbedding.Output("FP32", Arrays.stream(hidden.getInfo().getShape()).boxed().toList(), raw);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[][] embed(List<String> texts) {
        return embedding.embed(texts, TextEmbeddingTest::run);
    }

    @Test
    void givesWhatLangchain4jComputesInProcess() throws Exception {
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        List<String> texts = List.of("Conjunction screening for a LEO constellation with TAK integration",
                "tak-server", "Ground station scheduling: contact windows, antenna pointing and link budgets. ".repeat(40));
        float[][] ours = embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = reference.embed(texts.get(i)).content().vector();
            assertEquals(TextEmbedding.DIMENSIONS, ours[i].length);
            assertEquals(1, TextEmbedding.similarity(ours[i], ours[i]), 1e-5);
            // the long text: both cut it (langchain4j splits at 510 tokens and averages, we cut at 256) — close, not equal
            double floor = i == 2 ? 0.95 : 0.9999;
            assertTrue(TextEmbedding.similarity(ours[i], expected) > floor,
                    "text " + i + ": cosine " + TextEmbedding.similarity(ours[i], expected));
        }
    }

    @Test
    void aTextsEmbeddingDoesNotDependOnTheBatchItIsPaddedIn() throws Exception {
        float[] alone = embed(List.of("orbit determination"))[0];
        float[] batched = embed(List.of("a much longer text about orbit determination from radar and optical tracks",
                "orbit determination"))[1];
        assertEquals(1, TextEmbedding.similarity(alone, batched), 1e-5);
        TextEmbedding.Tokens tokens = embedding.encode(List.of("a b c d e f", "orbit"));
        // [CLS] orbit [SEP] then padding
        assertArrayEquals(new long[] { 1, 1, 1, 0, 0, 0, 0, 0 }, java.util.Arrays.copyOfRange(tokens.mask(), 8, 16));
        assertEquals(TextEmbedding.MAX_TOKENS, embedding.encode(List.of("word ".repeat(1000))).tokens());
    }

    @Test
    void nearTextsMeanNearThings() throws Exception {
        float[][] e = embed(List.of("satellite collision avoidance", "conjunction assessment for spacecraft",
                "monthly invoices and payment terms"));
        assertTrue(TextEmbedding.similarity(e[0], e[1]) > TextEmbedding.similarity(e[0], e[2]) + 0.2,
                "related " + TextEmbedding.similarity(e[0], e[1]) + ", unrelated " + TextEmbedding.similarity(e[0], e[2]));
    }

    @Test
    void refusesAnOutputOfTheWrongShape() {
        TextEmbedding.Tokens tokens = embedding.encode(List.of("x"));
        assertThrows(IllegalArgumentException.class,
                () -> TextEmbedding.pool(FloatBuffer.allocate(TextEmbedding.DIMENSIONS), tokens));
        assertThrows(IllegalArgumentException.class, () -> embedding.encode(List.of()));
        // an answer outside the contract is the model's fault, said as such
        TextEmbedding.Output right = run(requestFor("x"));
        assertThrows(IllegalStateException.class, () -> embedding.embed(List.of("x"), in -> null));
        assertThrows(IllegalStateException.class, () -> embedding.embed(List.of("x"),
                in -> new TextEmbedding.Output("FP16", right.shape(), right.raw())));
        assertThrows(IllegalStateException.class, () -> embedding.embed(List.of("x", "y z"), in -> right));
    }

    /** What {@link TextEmbedding#embed} sends for {@code text}. */
    private static List<TextEmbedding.Input> requestFor(String text) {
        List<List<TextEmbedding.Input>> sent = new java.util.ArrayList<>();
        embedding.embed(List.of(text), in -> {
            sent.add(in);
            return run(in);
        });
        return sent.getFirst();
    }
}
