package io.defensebuilders.aitools.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.defensebuilders.aitools.service.DocsSearch;
import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** "Ask the docs": the passages of the platform's docs and the SDKs' READMEs that answer a question, cited. */
@Path("/api/v1/integrations/ask")
@Authenticated
@Blocking
@Tag(name = "Ask the docs")
public class AskResource {

    @Schema(name = "AskRequest")
    public record Ask(@NotBlank @Size(max = 1000) @Schema(example = "How do I rotate a GitHub webhook secret?") String question,
            @Min(1) @Max(20) @Schema(description = "Passages to answer with (default 5)") Integer limit,
            @Pattern(regexp = "text|meaning|hybrid", message = "must be text, meaning or hybrid") @Schema(description = "How to search: by words (PostgreSQL full text), by meaning (embeddings), or both fused (default)", enumeration = {
                    "text", "meaning", "hybrid" }) String mode,
            @Schema(description = "Whether the configured language model writes an answer from the passages (default "
                    + "true; without a model there is none)") Boolean write){
    }

    private final DocsSearch search;
    private final TenantContext tenant;

    public AskResource(DocsSearch search, TenantContext tenant) {
        this.search = search;
        this.tenant = tenant;
    }

    @POST
    @Operation(summary = "Ask the platform's docs and the SDKs' READMEs", description = "The passages that answer best, "
            + "each with its source and section: the platform's documentation, public SDKs' READMEs and the tenant's "
            + "private ones, found by their words and their meaning; `mode` in the answer says how (text when the "
            + "embedding model could not be asked). With a language model configured, `answer` is its answer written "
            + "from those passages, citing them as [n] (or why there is none); without one, the passages are the "
            + "answer.")
    public DocsSearch.Answer ask(@Valid @NotNull Ask body) {
        return search.ask(tenant.caller().tenant(), body.question(), body.limit() == null ? 5 : body.limit(),
                DocsSearch.Mode.of(body.mode()), body.write() == null || body.write());
    }
}
