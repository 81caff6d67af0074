package io.defensebuilders.aitools.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The senders' own documented examples, and what must not pass. */
class SignaturesTest {

    private static final Duration WINDOW = Duration.ofSeconds(300);

    @Test
    void githubsDocumentedTestVectorPasses() {
        // docs.github.com, "Validating webhook deliveries": secret, payload and the signature GitHub sends
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertTrue(Signatures.github("It's a Secret to Everybody", body, header));
        assertEquals(header, Signatures.githubHeader("It's a Secret to Everybody", body));
    }

    @Test
    void aGithubSignatureFailsForAnyOtherSecretBodyOrForm() {
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String header = Signatures.githubHeader("s3cret", body);
        assertFalse(Signatures.github("s3cret!", body, header));
        assertFalse(Signatures.github("s3cret", "Hello, World?".getBytes(StandardCharsets.UTF_8), header));
        assertFalse(Signatures.github("s3cret", body, header.replace("sha256=", "sha1=")));
        assertFalse(Signatures.github("s3cret", body, "sha256=not-hex"));
        assertFalse(Signatures.github("s3cret", body, "sha256=" + header.substring(7, 40)));
        assertFalse(Signatures.github("s3cret", body, null));
        assertTrue(Signatures.github("s3cret", body, header.toUpperCase().replace("SHA256=", "sha256=")));
    }

    @Test
    void slacksDocumentedExamplePassesWithinTheWindowOnly() {
        // api.slack.com, "Verifying requests from Slack": the signing secret, timestamp, body and signature shown there
        String secret = "8f742231b10e8888abcd99yyyzzz85a5";
        String timestamp = "1531420618";
        byte[] body = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);
        String header = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        Instant sent = Instant.ofEpochSecond(1531420618);
        assertEquals(Signatures.SlackVerdict.VALID,
                Signatures.slack(secret, timestamp, body, header, sent.plusSeconds(299), WINDOW));
        assertEquals(Signatures.SlackVerdict.STALE,
                Signatures.slack(secret, timestamp, body, header, sent.plusSeconds(301), WINDOW));
        assertEquals(Signatures.SlackVerdict.STALE,
                Signatures.slack(secret, timestamp, body, header, sent.minusSeconds(301), WINDOW));
        assertEquals(Signatures.SlackVerdict.MISMATCH, Signatures.slack(secret, "1531420619", body, header, sent, WINDOW));
        assertEquals(Signatures.SlackVerdict.MISMATCH, Signatures.slack("other", timestamp, body, header, sent, WINDOW));
        assertEquals(Signatures.SlackVerdict.MISSING, Signatures.slack(secret, null, body, header, sent, WINDOW));
        assertEquals(Signatures.SlackVerdict.MISSING, Signatures.slack(secret, "soon", body, header, sent, WINDOW));
        assertEquals(header, Signatures.slackHeader(secret, timestamp, body));
    }
}
