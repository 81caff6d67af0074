package io.defensebuilders.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * terraform/ checked with the real tools that run here: {@code terraform fmt}, HashiCorp's HCL parser (through
 * {@code @cdktf/hcl2json}, one node process for every file) and rules over the parsed JSON.
 */
class TerraformTest {

    private static final Path TERRAFORM = Repo.ROOT.resolve("terraform");
    private static final String SKIP = " (.ci/run installs it; this machine has only a JDK?)";

    /** Version constraints that pin: "~> x.y", "~> x.y.z" or an exact "x.y.z" / "= x.y.z". */
    private static final Pattern PINNED = Pattern.compile("^\\s*(~>\\s*\\d+\\.\\d+(\\.\\d+)?|=?\\s*\\d+\\.\\d+\\.\\d+)\\s*$");
    /** Names and references that carry credentials. */
    private static final Pattern SECRET_WORDS = Pattern.compile(
            "password|passwd|secret|token|private_key|access_key|connection_string|auth_string|jaas|credential",
            Pattern.CASE_INSENSITIVE);
    /** Attribute names that hold a credential (snake_case words), whose value must never be a literal. */
    private static final Pattern CREDENTIAL_ATTRIBUTE = Pattern.compile(
            "^(.*_)?(password|passwd|secret|token|access_key|secret_key|private_key|client_secret|auth_string)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{(.*?)}", Pattern.DOTALL);
    private static final Pattern VAR_REFERENCE = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_-]*)");
    /** Arguments of a module block that are not the module's variables. */
    private static final Set<String> META_ARGUMENTS = Set.of("source", "version", "providers", "depends_on", "count",
            "for_each");

    private static Map<Path, JsonNode> parsed;
    /** The parser's message when terraform/ does not parse (kept, so that node runs once either way). */
    private static String parseError;

    @Test
    void everyFileIsFormattedAsTerraformFmtWants() throws Exception {
        String terraform = onPath("terraform");
        assumeTrue(terraform != null, "terraform is not on PATH" + SKIP);
        ProcessResult fmt = run(List.of(terraform, "fmt", "-check", "-recursive", "-diff", TERRAFORM.toString()),
                Repo.ROOT);
        assertEquals(0, fmt.exitCode, "terraform fmt -check found files to reformat (run terraform fmt -recursive "
                + "terraform/):\n" + fmt.stdout + fmt.stderr);
    }

    @Test
    void everyFileParsesWithHashiCorpsParser() throws Exception {
        assertTrue(parsed().size() >= 20, "expected the modules and examples, parsed: " + parsed().keySet());
    }

    @Test
    void everyVariableHasTypeAndDescription() throws Exception {
        List<String> problems = new ArrayList<>();
        forEachBlock("variable", (where, variable) -> {
            if (!variable.hasNonNull("type")) {
                problems.add(where + ": no type");
            }
            if (!variable.hasNonNull("description") || variable.get("description").asText().isBlank()) {
                problems.add(where + ": no description");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyModulePinsTerraformAndEachProvider() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Path, List<JsonNode>> dir : byDirectory().entrySet()) {
            String name = Repo.ROOT.relativize(dir.getKey()).toString();
            boolean requiredVersion = false;
            Map<String, JsonNode> providers = new TreeMap<>();
            for (JsonNode file : dir.getValue()) {
                for (JsonNode terraform : file.path("terraform")) {
                    requiredVersion |= terraform.hasNonNull("required_version");
                    for (JsonNode block : terraform.path("required_providers")) {
                        block.fields().forEachRemaining(p -> providers.put(p.getKey(), p.getValue()));
                    }
                }
            }
            if (!requiredVersion) {
                problems.add(name + ": no terraform { required_version }");
            }
            providers.forEach((provider, spec) -> {
                if (!spec.hasNonNull("source")) {
                    problems.add(name + ": provider " + provider + " has no source");
                }
                String version = spec.path("version").asText("");
                if (!PINNED.matcher(version).matches()) {
                    problems.add(name + ": provider " + provider + " version \"" + version
                            + "\" is not pinned (use \"~> x.y\" or an exact x.y.z)");
                }
            });
            for (String used : providersUsed(dir.getValue())) {
                if (!providers.containsKey(used)) {
                    problems.add(name + ": uses provider " + used + " without declaring it in required_providers");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void outputsCarryingCredentialsAreSensitive() throws Exception {
        List<String> problems = new ArrayList<>();
        forEachBlock("output", (where, output) -> {
            List<String> expressions = new ArrayList<>();
            strings(output.path("value"), s -> expressions.addAll(interpolations(s)));
            boolean secretLike = SECRET_WORDS.matcher(where.substring(where.lastIndexOf(' ') + 1)).find()
                    || expressions.stream().anyMatch(e -> SECRET_WORDS.matcher(e).find());
            if (secretLike && !output.path("sensitive").asBoolean(false)) {
                problems.add(where + ": carries credentials but is not sensitive = true");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void noCredentialIsHardCoded() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Path, JsonNode> file : parsed().entrySet()) {
            walkFields(file.getValue(), (key, value) -> {
                if (CREDENTIAL_ATTRIBUTE.matcher(key).matches() && value.isTextual() && !value.asText().isEmpty()
                        && !value.asText().contains("${")) {
                    problems.add(Repo.ROOT.relativize(file.getKey()) + ": " + key + " is a literal string");
                }
            });
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void moduleSourcesAreRelativePathsThatExist() throws Exception {
        List<String> problems = new ArrayList<>();
        forEachModuleCall((dir, call) -> {
            String source = call.getValue().path("source").asText("");
            Path target = dir.resolve(source).normalize();
            if (!(source.startsWith("./") || source.startsWith("../"))) {
                problems.add(Repo.ROOT.relativize(dir) + ": module " + call.getKey() + " source \"" + source
                        + "\" is not a relative path");
            } else if (!target.startsWith(TERRAFORM) || !hasTerraformFiles(target)) {
                problems.add(Repo.ROOT.relativize(dir) + ": module " + call.getKey() + " source " + source
                        + " is not a module of terraform/");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyModuleHasReadme() throws IOException {
        assertTrue(Files.isRegularFile(TERRAFORM.resolve("README.md")), "terraform/README.md is missing");
        try (Stream<Path> modules = Files.list(TERRAFORM.resolve("modules"))) {
            List<String> missing = modules.filter(Files::isDirectory)
                    .filter(m -> !Files.isRegularFile(m.resolve("README.md")))
                    .map(m -> Repo.ROOT.relativize(m) + "/README.md")
                    .toList();
            assertTrue(missing.isEmpty(), "missing: " + missing);
        }
    }

    @Test
    void everyReferencedVariableIsDeclaredAndEveryDeclaredVariableIsUsed() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Path, List<JsonNode>> dir : byDirectory().entrySet()) {
            String name = Repo.ROOT.relativize(dir.getKey()).toString();
            Set<String> declared = new TreeSet<>();
            Set<String> referenced = new TreeSet<>();
            for (JsonNode file : dir.getValue()) {
                file.path("variable").fieldNames().forEachRemaining(declared::add);
                // a variable's own validation does not count as a use
                file.fields().forEachRemaining(block -> {
                    if (!block.getKey().equals("variable")) {
                        strings(block.getValue(), s -> {
                            Matcher m = VAR_REFERENCE.matcher(s);
                            while (m.find()) {
                                referenced.add(m.group(1));
                            }
                        });
                    }
                });
            }
            for (String v : referenced) {
                if (!declared.contains(v)) {
                    problems.add(name + ": var." + v + " is used but not declared");
                }
            }
            for (String v : declared) {
                if (!referenced.contains(v)) {
                    problems.add(name + ": variable " + v + " is declared but never used");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyLocalAndDataSourceIsUsed() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Path, List<JsonNode>> dir : byDirectory().entrySet()) {
            String name = Repo.ROOT.relativize(dir.getKey()).toString();
            Set<String> declared = new TreeSet<>();
            StringBuilder text = new StringBuilder();
            for (JsonNode file : dir.getValue()) {
                file.path("locals").forEach(block -> block.fieldNames().forEachRemaining(l -> declared.add("local." + l)));
                file.path("data").fields().forEachRemaining(type -> type.getValue().fieldNames()
                        .forEachRemaining(n -> declared.add("data." + type.getKey() + "." + n)));
                strings(file, s -> text.append(s).append('\n'));
            }
            for (String d : declared) {
                if (!Pattern.compile(Pattern.quote(d) + "(?![A-Za-z0-9_-])").matcher(text).find()) {
                    problems.add(name + ": " + d + " is declared but never used");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void moduleCallsPassEveryRequiredVariableAndNoUnknownOne() throws Exception {
        List<String> problems = new ArrayList<>();
        Map<Path, List<JsonNode>> dirs = byDirectory();
        forEachModuleCall((dir, call) -> {
            Path target = dir.resolve(call.getValue().path("source").asText("")).normalize();
            Map<String, JsonNode> variables = new TreeMap<>();
            for (JsonNode file : dirs.getOrDefault(target, List.of())) {
                file.path("variable").fields().forEachRemaining(v -> variables.put(v.getKey(), v.getValue().get(0)));
            }
            Set<String> passed = new TreeSet<>();
            call.getValue().fieldNames().forEachRemaining(passed::add);
            variables.forEach((variable, spec) -> {
                if (!spec.has("default") && !passed.contains(variable)) {
                    problems.add(Repo.ROOT.relativize(dir) + ": module " + call.getKey()
                            + " does not pass the required variable " + variable);
                }
            });
            for (String argument : passed) {
                if (!META_ARGUMENTS.contains(argument) && !variables.containsKey(argument)) {
                    problems.add(Repo.ROOT.relativize(dir) + ": module " + call.getKey() + " passes " + argument + ", which "
                            + Repo.ROOT.relativize(target) + " does not declare");
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void cloudModulesOutputWhatArgocdBootstrapAndTheChartRead() throws Exception {
        List<String> problems = new ArrayList<>();
        Map<Path, List<JsonNode>> dirs = byDirectory();
        for (String cloud : List.of("eks", "gke", "aks")) {
            Map<String, JsonNode> outputs = new TreeMap<>();
            for (JsonNode file : dirs.getOrDefault(TERRAFORM.resolve("modules").resolve(cloud), List.of())) {
                file.path("output").fields().forEachRemaining(o -> outputs.put(o.getKey(), o.getValue().get(0)));
            }
            for (String name : List.of("cluster_name", "cluster_endpoint", "cluster_ca_certificate", "chart_values",
                    "data_secrets", "storage_classes", "service_account_annotations")) {
                if (!outputs.containsKey(name)) {
                    problems.add(cloud + ": no output " + name);
                }
            }
            JsonNode values = outputs.getOrDefault("chart_values", ObjectMapperHolder.MAPPER.createObjectNode());
            if (values.path("sensitive").asBoolean(false)) {
                problems.add(cloud + ": chart_values must not be sensitive (it goes on a Secret annotation as YAML)");
            }
            Map<String, String> secrets = Map.of("postgresql", "dbp-postgresql", "kafka", "dbp-kafka", "redis",
                    "dbp-redis");
            secrets.forEach((service, secret) -> {
                if (!secret.equals(values.path("value").path(service).path("existingSecret").asText())) {
                    problems.add(cloud + ": chart_values." + service + ".existingSecret is not " + secret);
                }
            });
            for (String path : List.of("postgresql/host", "kafka/bootstrapServers", "kafka/ports", "redis/hosts",
                    "networkPolicy/dataCidrs", "services")) {
                if (values.path("value").at("/" + path).isMissingNode()) {
                    problems.add(cloud + ": chart_values has no " + path.replace('/', '.'));
                }
            }
            if (!outputs.getOrDefault("data_secrets", values).path("sensitive").asBoolean(false)) {
                problems.add(cloud + ": data_secrets must be sensitive");
            }
            // every key the module writes is one the chart's values schema knows (it refuses unknown keys)
            knownToTheChart(cloud + ": chart_values", values.path("value"), CHART_SCHEMA, problems);
            // argocd/clouds/<cloud>.yaml says the same as the module where both say it
            Map<String, JsonNode> locals = new TreeMap<>();
            for (JsonNode file : dirs.getOrDefault(TERRAFORM.resolve("modules").resolve(cloud), List.of())) {
                file.path("locals").forEach(l -> l.fields().forEachRemaining(f -> locals.put(f.getKey(), f.getValue())));
            }
            JsonNode cloudValues = new ObjectMapper(new YAMLFactory())
                    .readTree(Repo.ROOT.resolve("argocd/clouds/" + cloud + ".yaml").toFile());
            for (String service : List.of("sdkRegistry", "inference")) {
                String argo = cloudValues.at("/services/" + service + "/persistence/storageClass").asText();
                if (!argo.equals(locals.getOrDefault("rwx_storage_class", values).asText())) {
                    problems.add(cloud + ": argocd/clouds/" + cloud + ".yaml gives " + service + " the storage class "
                            + argo + ", the module makes " + locals.get("rwx_storage_class"));
                }
            }
            JsonNode kafkaPort = locals.get("kafka_port");
            if (kafkaPort != null && !cloudValues.at("/kafka/ports").toString().equals("[" + kafkaPort.asText() + "]")) {
                problems.add(cloud + ": argocd/clouds/" + cloud + ".yaml gives Kafka the ports "
                        + cloudValues.at("/kafka/ports") + ", the module's brokers listen on " + kafkaPort);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static final JsonNode CHART_SCHEMA = chartSchema();

    private static JsonNode chartSchema() {
        try {
            return new ObjectMapper().readTree(Repo.ROOT.resolve("deploy/helm/defense-builders/values.schema.json")
                    .toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each literal key of {@code value} (an HCL object as hcl2json gives it) is a property of {@code schema}. */
    private static void knownToTheChart(String path, JsonNode value, JsonNode schema, List<String> problems) {
        if (!value.isObject()) {
            return;
        }
        value.fields().forEachRemaining(f -> {
            if (f.getKey().startsWith("${")) {
                return;
            }
            JsonNode property = schema.path("properties").path(f.getKey());
            if (property.isMissingNode() && schema.path("additionalProperties").isObject()) {
                property = schema.path("additionalProperties");
            }
            if (property.isMissingNode()) {
                problems.add(path + "." + f.getKey() + " is not a value of the chart");
            } else {
                knownToTheChart(path + "." + f.getKey(), f.getValue(), property, problems);
            }
        });
    }

    // --- parsing -----------------------------------------------------------------------------------------------

    private static final class ObjectMapperHolder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Every .tf file under terraform/, parsed once for all tests by one node process. */
    private static synchronized Map<Path, JsonNode> parsed() throws Exception {
        if (parseError != null) {
            fail(parseError);
        }
        if (parsed != null) {
            return parsed;
        }
        String node = onPath("node");
        assumeTrue(node != null, "node is not on PATH" + SKIP);
        Path modules = System.getenv("DBP_HCL2JSON") != null ? Path.of(System.getenv("DBP_HCL2JSON"))
                : Path.of(System.getProperty("user.home"), ".cache", "dbp-hcl2json", "node_modules");
        assumeTrue(Files.isDirectory(modules.resolve("@cdktf/hcl2json")),
                "@cdktf/hcl2json is not installed in " + modules + " (set DBP_HCL2JSON)" + SKIP);
        List<String> files;
        try (Stream<Path> walk = Files.walk(TERRAFORM)) {
            files = walk.filter(p -> p.toString().endsWith(".tf"))
                    .filter(p -> !p.toString().contains(File.separator + ".terraform" + File.separator))
                    .map(p -> Repo.ROOT.relativize(p).toString())
                    .sorted()
                    .toList();
        }
        List<String> command = new ArrayList<>(List.of(node, script().toString()));
        command.addAll(files);
        ProcessResult result = run(command, Repo.ROOT);
        if (result.exitCode != 0) {
            parseError = "HashiCorp's HCL parser rejects terraform/:\n" + result.stderr;
            fail(parseError);
        }
        Map<Path, JsonNode> byPath = new TreeMap<>();
        ObjectMapperHolder.MAPPER.readTree(result.stdout).fields()
                .forEachRemaining(f -> byPath.put(Repo.ROOT.resolve(f.getKey()), f.getValue()));
        parsed = byPath;
        return parsed;
    }

    private static Path script() throws URISyntaxException {
        return Path.of(TerraformTest.class.getResource("/hcl2json.mjs").toURI());
    }

    /** The parsed files of each directory (a Terraform module or root), by directory. */
    private static Map<Path, List<JsonNode>> byDirectory() throws Exception {
        return parsed().entrySet().stream().collect(Collectors.groupingBy(e -> e.getKey().getParent(), TreeMap::new,
                Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    /** Each block of a kind ("variable", "output") with "dir/file kind name" and its body. */
    private static void forEachBlock(String kind, BiConsumer<String, JsonNode> check) throws Exception {
        for (Map.Entry<Path, JsonNode> file : parsed().entrySet()) {
            file.getValue().path(kind).fields().forEachRemaining(block -> {
                for (JsonNode body : block.getValue()) {
                    check.accept(Repo.ROOT.relativize(file.getKey()) + " " + kind + " " + block.getKey(), body);
                }
            });
        }
    }

    private static void forEachModuleCall(BiConsumer<Path, Map.Entry<String, JsonNode>> check) throws Exception {
        for (Map.Entry<Path, JsonNode> file : parsed().entrySet()) {
            file.getValue().path("module").fields().forEachRemaining(module -> {
                for (JsonNode body : module.getValue()) {
                    check.accept(file.getKey().getParent(), Map.entry(module.getKey(), body));
                }
            });
        }
    }

    /** Local names of the providers whose resources and data sources a directory uses (aws_s3_bucket: aws). */
    private static Set<String> providersUsed(List<JsonNode> files) {
        Set<String> used = new TreeSet<>();
        for (JsonNode file : files) {
            for (String kind : List.of("resource", "data")) {
                file.path(kind).fieldNames().forEachRemaining(type -> {
                    if (!type.equals("terraform_remote_state") && !type.equals("terraform_data")) {
                        used.add(type.substring(0, type.indexOf('_') > 0 ? type.indexOf('_') : type.length()));
                    }
                });
            }
        }
        return used;
    }

    private static boolean hasTerraformFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".tf"));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> interpolations(String s) {
        List<String> found = new ArrayList<>();
        Matcher m = INTERPOLATION.matcher(s);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** Every string in a JSON tree, keys included (a key can be an expression: (local.name) = ...). */
    private static void strings(JsonNode node, java.util.function.Consumer<String> sink) {
        if (node.isTextual()) {
            sink.accept(node.asText());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                sink.accept(f.getKey());
                strings(f.getValue(), sink);
            });
        } else if (node.isArray()) {
            node.forEach(n -> strings(n, sink));
        }
    }

    private static void walkFields(JsonNode node, BiConsumer<String, JsonNode> sink) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                sink.accept(f.getKey(), f.getValue());
                walkFields(f.getValue(), sink);
            }
        } else if (node.isArray()) {
            node.forEach(n -> walkFields(n, sink));
        }
    }

    // --- processes ---------------------------------------------------------------------------------------------

    private record ProcessResult(int exitCode, String stdout, String stderr) {
    }

    private static ProcessResult run(List<String> command, Path workDir) throws IOException, InterruptedException {
        Path err = Files.createTempFile("terraform-test", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectError(err.toFile())
                    .start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 2 minutes");
            }
            return new ProcessResult(process.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static String onPath(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
