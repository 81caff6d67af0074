package io.defensebuilders.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;

/**
 * Go's text/template with the sprig functions, which is what Argo CD's ApplicationSet controller renders a
 * {@code goTemplate: true} template with: here Helm's template engine (helm-java) renders each string as a named
 * template applied to the generator's parameters. Helm renders a missing key as {@code <no value>} (missingkey=zero)
 * where Argo CD with {@code missingkey=error} fails; {@link #render} fails on it too, and {@link #fields} lists the
 * parameter paths a template reads so that a test can check them even where a missing key prints nothing (an if).
 */
final class GoTemplate {

    private static final Pattern ACTION = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern FIELD = Pattern.compile("(?<![\\w)\\].\"$])\\.([A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*)");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private GoTemplate() {
    }

    /** Each of {@code templates} rendered with {@code params} as its dot. */
    static List<String> render(JsonNode params, List<String> templates) {
        try {
            Path chart = Files.createTempDirectory("dbp-gotemplate-");
            Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: gotemplate\nversion: 0.1.0\n");
            Files.writeString(chart.resolve("values.yaml"), "params: " + params + "\n");
            Files.createDirectories(chart.resolve("templates"));
            StringBuilder defines = new StringBuilder();
            StringBuilder out = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: out}\ndata:\n");
            for (int i = 0; i < templates.size(); i++) {
                defines.append("{{ define \"t").append(i).append("\" }}").append(templates.get(i)).append("{{ end }}");
                out.append("  t").append(i).append(": {{ include \"t").append(i).append("\" .Values.params | toJson }}\n");
            }
            Files.writeString(chart.resolve("templates/_t.tpl"), defines);
            Files.writeString(chart.resolve("templates/out.yaml"), out);
            JsonNode data = Chart.documents(new Helm(chart).template().call()).get(0).path("data");
            List<String> rendered = new ArrayList<>();
            for (int i = 0; i < templates.size(); i++) {
                String text = data.path("t" + i).asText();
                if (text.contains("<no value>")) {
                    throw new IllegalArgumentException("missingkey=error: " + templates.get(i) + " names a parameter "
                            + "the generators do not give (" + params + ")");
                }
                rendered.add(text);
            }
            return rendered;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parameter paths ({@code metadata.labels}) the actions of {@code template} read from the dot. */
    static List<String> fields(String template) {
        List<String> fields = new ArrayList<>();
        Matcher action = ACTION.matcher(template);
        while (action.find()) {
            Matcher field = FIELD.matcher(QUOTED.matcher(action.group(1)).replaceAll("\"\""));
            while (field.find()) {
                fields.add(field.group(1));
            }
        }
        return fields;
    }
}
