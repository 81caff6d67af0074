package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.aitools.repository.PassageRepository;
import io.defensebuilders.platform.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Answers a question with the passages that best match it, among those the caller's tenant may see (the platform's
 * docs, public SDKs' READMEs, its own private ones), each cited by its source and section. Two rankings, fused:
 * <ul>
 * <li><b>words</b>: PostgreSQL full text with the question's words OR-ed (a question rarely repeats every word of its
 * answer), ranked by cover density with headings above bodies;
 * <li><b>meaning</b>: the passages whose embeddings are nearest the question's ({@link DocEmbeddings}).
 * </ul>
 * Fused by score: each ranking's scores divided by its best (so both lie in (0, 1]), then {@code meaning-weight} of the
 * meaning's plus the rest of the words', summed over the rankings a passage is in. On the 32 labelled questions of
 * {@code AskDocsTest} this ranked the answers highest (mean reciprocal rank 0.79, against 0.59 for words, 0.70 for
 * meaning, 0.70-0.76 for reciprocal rank fusion), and keeps what meaning misses and words find: an identifier, an
 * error code, a setting's name. When the model cannot be asked, the answer is the words' ranking and says so
 * ({@code mode: text}).
 */
@ApplicationScoped
public class DocsSearch {

    /** How to search: by words, by meaning, or both fused (the default). */
    public enum Mode {
        TEXT,
        MEANING,
        HYBRID;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode of(String value) {
            return value == null ? HYBRID : valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** One cited passage. */
    public record Cited(int rank, String source, String section, String location, String sdk, String version,
            String excerpt, double score) {
    }

    /**
     * The answer: the passages, best first, and how they were found; with a language model configured and asked for,
     * its written answer citing them (or why there is none).
     */
    public record Answer(String question, String mode, AnswerWriter.Written answer, List<Cited> passages) {
    }

    private static final Duration DB = Duration.ofSeconds(10);
    private static final int MAX_WORDS = 32;
    private final Pool pool;
    private final PassageRepository passages;
    private final DocEmbeddings embeddings;
    private final AnswerWriter writer;
    private final int candidates;
    private final double meaningWeight;

    public DocsSearch(Pool pool, PassageRepository passages, DocEmbeddings embeddings, AnswerWriter writer,
            AiToolsConfig config) {
        this.pool = pool;
        this.writer = writer;
        this.passages = passages;
        this.embeddings = embeddings;
        this.candidates = config.docs().embeddings().candidates();
        this.meaningWeight = config.docs().embeddings().meaningWeight();
    }

    /** The passages that answer {@code question}, and when {@code write} and a model is configured, its answer. */
    public Answer ask(String tenant, String question, int limit, Mode mode, boolean write) {
        String query = tsquery(question);
        if (query.isEmpty()) {
            throw ProblemException.invalid("question", "has no words to search for");
        }
        int depth = Math.max(candidates, limit);
        List<DocEmbeddings.Near> near = mode == Mode.TEXT ? null : embeddings.nearest(question, tenant, depth);
        Map<Long, Double> scores = new HashMap<>();
        if (near == null || mode == Mode.HYBRID) {
            List<PassageRepository.Ranked> words = passages.search(pool, query, tenant, near == null ? limit : depth)
                    .await().atMost(DB);
            double weight = near == null ? 1 : 1 - meaningWeight;
            double top = words.isEmpty() || words.getFirst().rank() <= 0 ? 1 : words.getFirst().rank();
            for (PassageRepository.Ranked w : words) {
                scores.merge(w.id(), weight * w.rank() / top, Double::sum);
            }
        }
        if (near != null) {
            double weight = mode == Mode.MEANING ? 1 : meaningWeight;
            double top = near.isEmpty() ? 1 : near.getFirst().similarity();
            for (DocEmbeddings.Near n : near) {
                scores.merge(n.id(), weight * n.similarity() / top, Double::sum);
            }
        }
        List<Long> best = scores.entrySet().stream()
                .sorted(Map.Entry.<Long, Double> comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
        Map<Long, PassageRepository.Hit> hits = new HashMap<>();
        if (!best.isEmpty()) {
            passages.cite(pool, best, query, tenant).await().atMost(DB).forEach(h -> hits.put(h.id(), h));
        }
        List<Cited> cited = new ArrayList<>();
        List<AnswerWriter.Source> sources = new ArrayList<>();
        for (long id : best) {
            PassageRepository.Hit h = hits.get(id);
            if (h == null) {
                continue; // gone since the index was loaded
            }
            String location = h.sdk() != null ? "sdk:" + h.sdk() + "@" + h.version()
                    + (h.anchor() == null ? "" : "#" + h.anchor())
                    : h.source() + (h.anchor() == null ? "" : "#" + h.anchor());
            cited.add(new Cited(cited.size() + 1, h.source(), h.heading(), location, h.sdk(), h.version(),
                    h.excerpt(), Math.round(scores.get(id) * 1e6) / 1e6));
            sources.add(new AnswerWriter.Source(location + " (" + h.heading() + ")", h.body()));
        }
        AnswerWriter.Written written = !write || !writer.configured() ? null
                : sources.isEmpty() ? new AnswerWriter.Written(null, null, "no passage answers the question")
                        : writer.write(question, sources);
        return new Answer(question, near == null ? Mode.TEXT.value() : mode.value(), written, cited);
    }

    /** The question's words, lower case, letters and digits only, OR-ed: a tsquery that cannot be malformed. */
    static String tsquery(String question) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : question.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 2 && words.size() < MAX_WORDS) {
                words.add(word);
            }
        }
        return String.join(" | ", words);
    }
}
