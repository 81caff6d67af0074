package io.defensebuilders.aitools.api;

import io.defensebuilders.aitools.service.DocsSearch;
import io.defensebuilders.platform.problem.ProblemException;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.Tool.Annotations;
import io.quarkiverse.mcp.server.Tool.OutputSchema;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;

/** "Ask the docs" as a tool: the passages that answer a question, for the assistant to read and cite. */
@ToolCall
public class DocsTools {

    private final ToolContext context;
    private final DocsSearch search;

    public DocsTools(ToolContext context, DocsSearch search) {
        this.context = context;
        this.search = search;
    }

    @Tool(name = "ask_docs", title = "Ask the docs", description = "Searches the platform's documentation and the SDKs' "
            + "READMEs the caller may see (public ones, and the tenant's private ones) by words and by meaning, and "
            + "answers with the best passages, each with its source and section to cite.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = DocsSearch.Answer.class))
    public DocsSearch.Answer askDocs(@ToolArg(description = "The question, in words") String question,
            @ToolArg(description = "Passages to answer with, 1 to 20 (default 5)", required = false) Integer limit,
            @ToolArg(description = "text (words only: best for names, identifiers, settings), meaning, or hybrid "
                    + "(both, the default)", required = false) String mode) {
        if (limit != null && (limit < 1 || limit > 20)) {
            throw new ToolCallException("limit must be 1 to 20");
        }
        if (mode != null && !mode.matches("text|meaning|hybrid")) {
            throw new ToolCallException("mode must be text, meaning or hybrid");
        }
        try {
            return search.ask(context.caller().tenant(), question, limit == null ? 5 : limit, DocsSearch.Mode.of(mode), false);
        } catch (ProblemException e) {
            throw new ToolCallException(e.getMessage());
        }
    }
}
