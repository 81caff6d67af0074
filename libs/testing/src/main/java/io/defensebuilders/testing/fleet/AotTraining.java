package io.defensebuilders.testing.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What a JDK AOT cache training run asks a service, once it is ready, so that its cache also holds what a first call
 * loads: its API's OpenAPI document, an API call without a key, health and metrics. {@code ./platform up}'s training
 * runs (deploy/local/runtime) and the images' (deploy/images-aot) ask the same.
 */
public final class AotTraining {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private AotTraining() {
    }

    /** Calls {@code service} (its API on {@code port}, health and metrics on {@code managementPort}). */
    public static void exercise(String service, int port, int managementPort) {
        for (String url : List.of("http://127.0.0.1:" + port + "/q/openapi",
                "http://127.0.0.1:" + port + "/api/v1/" + service,
                "http://127.0.0.1:" + managementPort + "/q/health",
                "http://127.0.0.1:" + managementPort + "/q/metrics")) {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // only a lesson missed: the cache holds a little less
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
