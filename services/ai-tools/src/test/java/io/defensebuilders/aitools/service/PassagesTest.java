package io.defensebuilders.aitools.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How Markdown is cut into passages. */
class PassagesTest {

    @Test
    void eachSectionIsAPassageNamedByItsHeadingPath() {
        String md = """
                # gateway

                The one public door.

                ## Identity

                Who is calling.

                ### Open paths

                Signed deliveries.

                ```bash
                # not a heading
                curl -H 'X' http://localhost:8080
                ```

                ## Rate limits

                Plans.
                """;
        List<Passages.Passage> passages = Passages.split("gateway", md, 1500);
        assertEquals(List.of("gateway", "gateway > Identity", "gateway > Identity > Open paths", "gateway > Rate limits"),
                passages.stream().map(Passages.Passage::heading).toList());
        assertEquals("open-paths", passages.get(2).anchor());
        assertTrue(passages.get(2).body().contains("# not a heading"), "fenced code stays in its section");
        assertEquals("Plans.", passages.get(3).body());
    }

    @Test
    void aLongSectionIsCutAtParagraphsAndNothingIsLost() {
        StringBuilder md = new StringBuilder("## Long\n\n");
        for (int i = 0; i < 30; i++) {
            md.append("Paragraph ").append(i).append(' ').append("word ".repeat(20)).append("\n\n");
        }
        md.append("x".repeat(2000)).append('\n');
        List<Passages.Passage> passages = Passages.split("doc", md.toString(), 500);
        assertTrue(passages.size() > 5);
        passages.forEach(p -> assertTrue(p.body().length() <= 500, p.body().length() + ""));
        String joined = String.join(" ", passages.stream().map(Passages.Passage::body).toList());
        for (int i = 0; i < 30; i++) {
            assertTrue(joined.contains("Paragraph " + i + " "), "paragraph " + i);
        }
        assertEquals(2000, joined.chars().filter(c -> c == 'x').count());
    }

    @Test
    void anchorsAreGitHubs() {
        assertEquals("the-two-commands", Passages.anchor("The two commands"));
        assertEquals("usagev1", Passages.anchor("`usage.v1`"));
        assertEquals("tests-platform-test", Passages.anchor("Tests: `./platform test`"));
    }
}
