package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.repository.PassageRepository;
import io.defensebuilders.platform.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Answers a question with the passages that best match it, among those the caller's tenant may see (the platform's
 * docs, public SDKs' READMEs, its own private ones), each cited by its source and section. Words, for now: PostgreSQL
 * full text with the question's words OR-ed (a question rarely repeats every word of its answer), ranked by cover
 * density with headings above bodies.
 */
@ApplicationScoped
public class DocsSearch {

    /** One cited passage. */
    public record Cited(int rank, String source, String section, String location, String sdk, String version,
            String excerpt, double score) {
    }

    /** The answer: the passages, best first, and how they were found. */
    public record Answer(String question, String mode, List<Cited> passages) {
    }

    private static final Duration DB = Duration.ofSeconds(10);
    private static final int MAX_WORDS = 32;
    private final Pool pool;
    private final PassageRepository passages;

    public DocsSearch(Pool pool, PassageRepository passages) {
        this.pool = pool;
        this.passages = passages;
    }

    public Answer ask(String tenant, String question, int limit) {
        String query = tsquery(question);
        if (query.isEmpty()) {
            throw ProblemException.invalid("question", "has no words to search for");
        }
        List<PassageRepository.Hit> hits = passages.search(pool, query, tenant, limit).await().atMost(DB);
        List<Cited> cited = new java.util.ArrayList<>();
        for (PassageRepository.Hit h : hits) {
            String location = h.sdk() != null ? "sdk:" + h.sdk() + "@" + h.version()
                    + (h.anchor() == null ? "" : "#" + h.anchor())
                    : h.source() + (h.anchor() == null ? "" : "#" + h.anchor());
            cited.add(new Cited(cited.size() + 1, h.source(), h.heading(), location, h.sdk(), h.version(),
                    h.excerpt(), h.rank()));
        }
        return new Answer(question, "text", cited);
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
