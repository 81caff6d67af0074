package io.defensebuilders.aitools;

import io.defensebuilders.testing.quarkus.TestClient;

/** A test caller of ai-tools' REST API (and, with {@link #registry()}, of the SDK registry it acts on). */
record Api(String tenant, String subject, String[] roles) implements TestClient {

    static Api as(String tenant, String role) {
        return new Api(tenant, TestClient.unique(role), new String[] { role });
    }

    /** The SDK registry's base URL, as ai-tools reaches it. */
    static String registry() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("dbp.ai-tools.services.sdk-registry.url", String.class);
    }

    /** A new publisher and SDK of this caller's tenant; the SDK's name. */
    String sdk(String visibility) {
        String publisher = TestClient.unique("pub");
        String sdk = TestClient.unique("sdk");
        req().baseUri(registry()).body(java.util.Map.of("name", publisher, "displayName", "Publisher"))
                .post("/api/v1/publishers").then().statusCode(201);
        req().baseUri(registry()).body(java.util.Map.of("name", sdk, "publisher", publisher, "title", "SDK " + sdk,
                "license", "Apache-2.0", "visibility", visibility)).post("/api/v1/sdks").then().statusCode(201);
        return sdk;
    }
}
