package io.defensebuilders.aitools;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.aitools.service.DocEmbeddings;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * "Ask the docs" against the platform's own documentation (bundled at build time) and SDK READMEs published on the
 * real registry: retrieval quality on a labelled set (recall@5), tenancy of private READMEs, the MCP tool, bad input.
 */
@QuarkusTest
class AskDocsTest {

    /** A question and where its answer is: the doc, and a pattern found in the section's heading path. */
    record Labelled(String question, String source, String section) {

        boolean answeredBy(Map<String, Object> passage) {
            return source.equals(passage.get("source"))
                    && java.util.regex.Pattern.compile(section).matcher(String.valueOf(passage.get("section"))).find();
        }
    }

    /** Written from the docs' contents, not from what the search answers. */
    static final List<Labelled> LABELLED = List.of(
            new Labelled("How do I verify the signature of a webhook notification?", "services/ai-tools/README.md",
                    "Notifications out"),
            new Labelled("What happens when Redis goes down at the gateway?", "services/gateway/README.md", "Redis"),
            new Labelled("How are repeated failed logins with wrong API keys slowed down?", "services/gateway/README.md",
                    "Failed authentication"),
            new Labelled("Which Kafka topic carries metered usage events?", "docs/events.md", "usage.v1"),
            new Labelled("How do I configure Okta as the identity provider?", "docs/identity.md", "Okta"),
            new Labelled("Can people sign in with a CAC or PIV smart card?", "docs/identity.md", "CAC"),
            new Labelled("How are invoices numbered and when are drafts issued?", "services/billing/README.md", "Invoices"),
            new Labelled("How do I install the platform on a Kubernetes cluster?", "README.md", "Install on Kubernetes"),
            new Labelled("How do I connect Claude Code or VS Code to the MCP server?", "services/ai-tools/README.md",
                    "Connect an assistant"),
            new Labelled("What does a CCDM assessment look for?", "services/orbital/README.md", "CCDM"),
            new Labelled("Which Open Inference Protocol gRPC service does inference implement?",
                    "services/inference/README.md", "gRPC"),
            new Labelled("How do I query analytics for event counts over a date range?", "services/analytics/README.md",
                    "Query API"),
            new Labelled("What rate limits does each plan get at the gateway?", "services/gateway/README.md",
                    "Rate limits"),
            new Labelled("How do I link a GitHub repository so that a release publishes my SDK?",
                    "services/ai-tools/README.md", "GitHub and Slack"),
            new Labelled("Can I download a screening's conjunctions as a CCSDS conjunction data message?",
                    "services/orbital/README.md", "CDM"),
            new Labelled("What do the services do when the database hangs?", "docs/architecture.md",
                    "When a dependency hangs"),
            new Labelled("What are the steps to add a new service to the repository?", "docs/development.md",
                    "Adding a service"),
            new Labelled("How do I subscribe to maneuver alerts over a WebSocket?", "services/orbital/README.md",
                    "Alert stream"),
            new Labelled("How does the gateway sign the internal JWT the services trust?", "services/gateway/README.md",
                    "Internal JWT"),
            new Labelled("How does SDK search by meaning use embeddings?", "services/sdk-registry/README.md",
                    "Search by meaning"),
            new Labelled("How do dead letters of usage events work in billing?", "services/billing/README.md",
                    "Dead letters"),
            new Labelled("What does one environment become in Kubernetes?", "services/environment-manager/README.md",
                    "What one environment becomes"),
            // in a user's words rather than the docs': written from the docs too, without their terms
            new Labelled("Why was my request throttled?", "services/gateway/README.md", "Rate limits"),
            new Labelled("How much will the platform charge me?", "services/billing/README.md", "Phase 2"),
            new Labelled("How can I get a message in Teams when my satellite is in danger?",
                    "services/ai-tools/README.md", "Notifications out"),
            new Labelled("What if Postgres stops responding?", "docs/architecture.md", "When a dependency hangs"),
            new Labelled("Can other customers see my data?", "docs/architecture.md", "Identity and tenancy"),
            new Labelled("How do I stop my sandbox from running all night?", "services/environment-manager/README.md",
                    "The Environment resource"),
            new Labelled("Which satellites might crash into each other?", "services/orbital/README.md", "(?i)screening"),
            new Labelled("Can a release on GitHub publish my library automatically?", "services/ai-tools/README.md",
                    "GitHub and Slack"),
            new Labelled("Is a satellite hiding what it really is?", "services/orbital/README.md", "CCDM"),
            new Labelled("How do I sign in with my company account?", "docs/identity.md", ""));

    @Inject
    DocEmbeddings embeddings;

    private static JsonPath ask(Api caller, String question, int limit) {
        return ask(caller, question, limit, "hybrid");
    }

    private static JsonPath ask(Api caller, String question, int limit, String mode) {
        return caller.req().body(Map.of("question", question, "limit", limit, "mode", mode, "write", false))
                .post("/api/v1/integrations/ask").then().statusCode(200).extract().jsonPath();
    }

    /** Every passage indexed so far has its embedding, read into this replica's index. */
    private void awaitEmbedded() {
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> embeddings.indexed() > 0 && embeddings.unembedded() == 0);
        System.out.printf("[ask] %d passages embedded (waited %d s)%n", embeddings.indexed(),
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** recall@5 of {@code mode} on the labelled questions (and their mean reciprocal rank in the top 20); misses. */
    private static double recall(Api caller, String mode, StringBuilder missed) {
        int found = 0;
        double reciprocal = 0;
        for (Labelled l : LABELLED) {
            JsonPath answer = ask(caller, l.question(), 20, mode);
            assertEquals(mode, answer.getString("mode"), l.question());
            List<Map<String, Object>> passages = answer.getList("passages");
            int at = -1;
            for (int i = 0; i < passages.size() && at < 0; i++) {
                at = l.answeredBy(passages.get(i)) ? i : -1;
            }
            if (at >= 0) {
                reciprocal += 1.0 / (at + 1);
            }
            if (at >= 0 && at < 5) {
                found++;
            } else {
                missed.append("\n  ").append(mode).append(": ").append(l.question()).append(" -> ").append(passages
                        .stream().limit(5).map(p -> p.get("source") + " / " + p.get("section")).toList());
            }
        }
        double recall = (double) found / LABELLED.size();
        System.out.printf("[ask] %s: recall@5 = %d/%d = %.2f, mean reciprocal rank (top 20) = %.2f%n", mode, found,
                LABELLED.size(), recall, reciprocal / LABELLED.size());
        return recall;
    }

    @Test
    void theLabelledQuestionsFindTheirSectionsInTheTopFive() {
        awaitEmbedded();
        Api viewer = Api.as(TestClient.newTenant(), "viewer");
        StringBuilder missed = new StringBuilder();
        double words = recall(viewer, "text", missed);
        double meaning = recall(viewer, "meaning", missed);
        double hybrid = recall(viewer, "hybrid", missed);
        System.out.println("[ask] missed:" + missed);
        // measured 2026-12-07: words 25/32, meaning 30/32, hybrid 29/32; a change that loses answers fails here
        assertTrue(words >= 0.7, "words: recall@5 " + words + missed);
        assertTrue(meaning >= 0.85, "meaning: recall@5 " + meaning + missed);
        assertTrue(hybrid >= 0.85 && hybrid > words, "hybrid: recall@5 " + hybrid + ", words " + words + missed);
    }

    @Test
    void aQuestionWithoutTheDocsWordsIsAnsweredByMeaning() {
        awaitEmbedded();
        Api viewer = Api.as(TestClient.newTenant(), "viewer");
        Labelled throttled = LABELLED.stream().filter(l -> l.question().contains("throttled")).findFirst().orElseThrow();
        List<Map<String, Object>> byWords = ask(viewer, throttled.question(), 5, "text").getList("passages");
        // the precondition: the gateway's docs never say "throttled" (if they come to, pick another question)
        assertFalse(byWords.stream().anyMatch(throttled::answeredBy), byWords.toString());
        List<Map<String, Object>> fused = ask(viewer, throttled.question(), 5, "hybrid").getList("passages");
        assertTrue(fused.stream().anyMatch(throttled::answeredBy), fused.toString());
    }

    @Test
    void aPrivateReadmeIsFoundByItsTenantOnlyAndAPublicOneByEveryone() {
        Api owner = Api.as(TestClient.newTenant(), "publisher");
        String secret = owner.sdk("private");
        String shared = owner.sdk("public");
        String word = "zyxquorbital" + Long.toString(System.nanoTime(), 36);
        for (String sdk : List.of(secret, shared)) {
            owner.req().baseUri(Api.registry()).body(Map.of("version", "1.0.0", "readme", "# " + sdk
                    + "\n\n## Setup\n\nConfigure the " + word + " transceiver before the first pass.\n"))
                    .post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(201);
        }
        String question = word + " transceiver setup?";
        // by words: the owner finds both, a stranger the public one only
        JsonPath mine = await().atMost(Duration.ofSeconds(60)).until(() -> ask(owner, word + "?", 5, "text"),
                a -> a.getList("passages").size() == 2);
        assertEquals("sdk:" + mine.getString("passages[0].sdk") + "@1.0.0#setup", mine.getString("passages[0].location"));
        assertTrue(mine.getString("passages[0].excerpt").contains(word), mine.prettify());
        Api stranger = Api.as(TestClient.newTenant(), "viewer");
        assertEquals(List.of(shared), ask(stranger, word + "?", 5, "text").getList("passages.sdk"));
        // by meaning, once embedded: the same tenancy
        awaitEmbedded();
        JsonPath mineByMeaning = await().atMost(Duration.ofSeconds(30)).until(() -> ask(owner, question, 20, "meaning"),
                a -> a.getList("passages.sdk").containsAll(List.of(secret, shared)));
        assertEquals("meaning", mineByMeaning.getString("mode"));
        List<Object> theirs = ask(stranger, question, 20, "meaning").getList("passages.sdk");
        assertTrue(theirs.contains(shared) && !theirs.contains(secret), theirs.toString());
        assertFalse(ask(stranger, question, 20, "hybrid").getList("passages.sdk").contains(secret));
        // a newer version's README replaces the older one's, for words and meaning alike
        owner.req().baseUri(Api.registry()).body(Map.of("version", "1.1.0", "readme", "# " + shared
                + "\n\nNo transceiver any more.\n")).post("/api/v1/sdks/" + shared + "/versions").then().statusCode(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> ask(stranger, word + "?", 5, "text")
                .getList("passages").isEmpty());
        assertFalse(ask(stranger, question, 20, "hybrid").getList("passages.location").contains(
                "sdk:" + shared + "@1.0.0#setup"));
    }

    @Test
    void aConfiguredLanguageModelWritesTheAnswerFromThePassages() {
        awaitEmbedded();
        FakeLanguageModel llm = FakeLanguageModel.get();
        Api viewer = Api.as(TestClient.newTenant(), "viewer");
        String question = "How do I rotate a GitHub webhook secret?";
        int before = llm.requests().size();
        JsonPath a = viewer.req().body(Map.of("question", question, "limit", 3)).post("/api/v1/integrations/ask").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(3, a.getList("passages").size());
        // the model's text, which quotes the first passage it was given: the answer's first passage
        assertEquals("From " + a.getString("passages[0].location") + " (" + a.getString("passages[0].section") + ") [1].",
                a.getString("answer.text"));
        assertEquals(FakeLanguageModel.MODEL, a.getString("answer.model"));
        assertEquals(before + 1, llm.requests().size());
        FakeLanguageModel.Request sent = llm.requests().get(before);
        assertEquals("Bearer " + FakeLanguageModel.API_KEY, sent.authorization());
        assertEquals(FakeLanguageModel.MODEL, sent.body().path("model").asText());
        assertEquals("system", sent.body().path("messages").path(0).path("role").asText());
        String user = sent.body().path("messages").path(1).path("content").asText();
        assertTrue(user.startsWith("Question: " + question), user);
        assertTrue(user.contains("\n[3] ") && !user.contains("\n[4] "), user);
        assertFalse(a.prettify().contains(FakeLanguageModel.API_KEY));
        // the model failing: the passages still answer, and say why there is no text
        llm.failWith = 503;
        try {
            JsonPath failed = viewer.req().body(Map.of("question", question, "limit", 3))
                    .post("/api/v1/integrations/ask").then().statusCode(200).extract().jsonPath();
            assertEquals(3, failed.getList("passages").size());
            assertEquals(null, failed.getString("answer.text"), failed.prettify());
            assertTrue(failed.getString("answer.error").contains("HTTP 503"), failed.prettify());
        } finally {
            llm.failWith = 0;
        }
        // not asked for: the model is not called
        int calls = llm.requests().size();
        JsonPath unwritten = viewer.req().body(Map.of("question", question, "write", false))
                .post("/api/v1/integrations/ask").then().statusCode(200).extract().jsonPath();
        assertEquals(null, unwritten.getString("answer"));
        assertEquals(calls, llm.requests().size());
    }

    @Test
    void theToolAnswersAsTheCallerAndBadQuestionsAreRefused() {
        awaitEmbedded();
        var result = Mcp.viewer(TestClient.newTenant()).call("ask_docs", Map.of("question",
                "How do I rotate a GitHub webhook secret?", "limit", 3));
        assertFalse(result.getBoolean("isError"));
        assertEquals(3, result.getList("structuredContent.passages").size());
        assertEquals("services/ai-tools/README.md", result.getString("structuredContent.passages[0].source"));
        var byWords = Mcp.viewer(TestClient.newTenant()).call("ask_docs", Map.of("question",
                "DBP_AI_TOOLS_INTEGRATIONS_SECRET_KEY", "mode", "text"));
        assertEquals("text", byWords.getString("structuredContent.mode"));
        // the one section that names the setting
        assertEquals("services/ai-tools/README.md#github-and-slack",
                byWords.getString("structuredContent.passages[0].location"), byWords.prettify());
        var badMode = Mcp.viewer(TestClient.newTenant()).call("ask_docs", Map.of("question", "gateway", "mode", "vibes"));
        assertTrue(badMode.getBoolean("isError"));
        assertTrue(badMode.getString("content[0].text").contains("text, meaning or hybrid"), badMode.prettify());
        Api viewer = Api.as(TestClient.newTenant(), "viewer");
        viewer.req().body(Map.of("question", "?!")).post("/api/v1/integrations/ask").then().statusCode(400)
                .body("detail", containsString("no words"));
        viewer.req().body(Map.of("question", "")).post("/api/v1/integrations/ask").then().statusCode(400);
        viewer.req().body(Map.of("question", "ok", "limit", 0)).post("/api/v1/integrations/ask").then().statusCode(400);
        viewer.req().body(Map.of("question", "x".repeat(1001))).post("/api/v1/integrations/ask").then().statusCode(400);
        io.restassured.RestAssured.given().contentType("application/json").body(Map.of("question", "gateway"))
                .post("/api/v1/integrations/ask").then().statusCode(401);
        // an answer cites where it comes from
        ask(viewer, "What is the platform's public base URL setting?", 5).getList("passages.location")
                .forEach(location -> assertTrue(String.valueOf(location).matches("[A-Za-z0-9/._-]+\\.md(#[a-z0-9_-]+)?"),
                        String.valueOf(location)));
        assertEquals("hybrid", ask(viewer, "gateway", 1).getString("mode"));
        viewer.req().body(Map.of("question", "gateway", "mode", "fuzzy")).post("/api/v1/integrations/ask").then()
                .statusCode(400).body("detail", containsString("text, meaning or hybrid"));
    }
}
