package io.defensebuilders.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The GitHub Actions workflows of .github/workflows, which cannot run here, and the repository's own shell scripts,
 * checked with what can: every step's {@code run:} script through shellcheck (mapped back to the workflow's file,
 * line, job and step), and rules over the workflows: every job has a timeout, every workflow declares its token's
 * permissions, every action is pinned to a version or a commit, and native.yml builds every service but those it
 * documents as excluded. actionlint (syntax, expressions, types) runs over the same files in .ci/run.
 *
 * <p>
 * The YAML is read with SnakeYAML's node API (it comes with jackson-dataformat-yaml): Jackson's tree has no line
 * numbers, and a finding must name the workflow's line.
 */
class WorkflowsTest {

    static final Path WORKFLOWS = Repo.ROOT.resolve(".github/workflows");

    /**
     * Severity for the workflows' scripts: {@code style}, every finding shellcheck has (errors, warnings, infos and
     * style notes), as they are all clean today.
     */
    static final String WORKFLOW_SEVERITY = "style";

    /** The repository's scripts, checked from the repository root with -x (they source each other from there). */
    static final List<String> SCRIPTS = List.of(".ci/run", "platform", "deploy/local/platform", "deploy/grafana/validate.sh");

    /** Every bench/*.sh is a script but these, which other scripts source (see LIBRARIES). */
    static final String BENCH = "bench";

    /**
     * Sourced libraries: no shebang (shellcheck is told bash), and SC2034 (assigned but unused) is left out, as the
     * variables they set ($cp, the JVM option arrays) are for the scripts that source them.
     */
    static final List<String> LIBRARIES = List.of("deploy/local/jdk.sh", "bench/classpath.sh", "bench/gateway-common.sh");

    /**
     * Findings in the repository's scripts that are known and left as they are ("file SCnnnn" -> why; none today). An
     * entry that no longer matches anything fails the test, so the list shrinks when a script is fixed.
     */
    static final Map<String, String> KNOWN_SCRIPT_FINDINGS = Map.of();

    /** {@code owner/repo[/path]@ref}: a ref that is a version tag (v4, v4.2.1, 0.35.0) or a full commit sha. */
    static final Pattern PINNED = Pattern.compile("[^@\\s]+/[^@\\s]+@(v?\\d+(\\.\\d+){0,2}|[0-9a-f]{40})");

    /** native.yml: {@code # excluded: <service> - <reason>}. */
    static final Pattern EXCLUDED = Pattern.compile("(?m)^\\s*#\\s*excluded:\\s*([a-z0-9-]+)\\s+-\\s+\\S.*$");

    static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{.*?}}");

    static final Pattern GCC = Pattern.compile("^(.+?):(\\d+):(\\d+): (\\w+): (.*) \\[(SC\\d+)]$");

    record Workflow(String name, MappingNode root, String text) {
    }

    /** firstLine: 1-based line of the script's first line in the workflow; indent: columns before its text there. */
    record Script(String workflow, String job, String step, int firstLine, int indent, String shell, String body) {
    }

    @TempDir
    Path tmp;

    // --- the repository's files ---------------------------------------------------------------------------------

    @Test
    void everyRunScriptPassesShellcheck() throws Exception {
        assumeShellcheck();
        List<Workflow> workflows = workflows();
        List<Script> scripts = new ArrayList<>();
        workflows.forEach(w -> scripts.addAll(runScripts(w)));
        assertTrue(scripts.size() > 20, "found only " + scripts.size() + " run: scripts");
        List<String> findings = shellcheckScripts(scripts, tmp, WORKFLOW_SEVERITY);
        assertTrue(findings.isEmpty(), "shellcheck over the workflows' run: scripts:\n" + String.join("\n", findings));
    }

    @Test
    void theRepositorysScriptsPassShellcheck() throws Exception {
        assumeShellcheck();
        List<String> scripts = new ArrayList<>(SCRIPTS);
        try (Stream<Path> bench = Files.list(Repo.ROOT.resolve(BENCH))) {
            bench.map(p -> BENCH + "/" + p.getFileName()).filter(p -> p.endsWith(".sh")).filter(p -> !LIBRARIES.contains(p))
                    .sorted().forEach(scripts::add);
        }
        for (String s : scripts) {
            assertTrue(Files.isRegularFile(Repo.ROOT.resolve(s)), s + " is gone: update WorkflowsTest.SCRIPTS");
        }
        List<String> lines = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("-x", "-f", "gcc", "-S", "warning"));
        args.addAll(scripts);
        lines.addAll(shellcheck(Repo.ROOT, args));
        List<String> libraryArgs = new ArrayList<>(List.of("-x", "-s", "bash", "-e", "SC2034", "-f", "gcc", "-S", "warning"));
        libraryArgs.addAll(LIBRARIES);
        lines.addAll(shellcheck(Repo.ROOT, libraryArgs));

        Set<String> seen = new TreeSet<>();
        List<String> findings = new ArrayList<>();
        for (String line : lines) {
            Matcher m = GCC.matcher(line);
            if (!m.matches()) {
                findings.add(line);
                continue;
            }
            String key = m.group(1) + " " + m.group(6);
            if (KNOWN_SCRIPT_FINDINGS.containsKey(key)) {
                seen.add(key);
            } else {
                findings.add(line);
            }
        }
        Set<String> stale = new TreeSet<>(KNOWN_SCRIPT_FINDINGS.keySet());
        stale.removeAll(seen);
        assertTrue(findings.isEmpty(), "shellcheck over the repository's scripts:\n" + String.join("\n", findings));
        assertTrue(stale.isEmpty(), "known findings that shellcheck no longer reports (remove them from "
                + "KNOWN_SCRIPT_FINDINGS): " + stale);
    }

    @Test
    void everyJobHasATimeout() {
        List<String> findings = new ArrayList<>();
        workflows().forEach(w -> findings.addAll(jobsWithoutTimeout(w)));
        assertTrue(findings.isEmpty(), String.join("\n", findings));
    }

    @Test
    void everyWorkflowDeclaresItsPermissions() {
        List<String> findings = new ArrayList<>();
        workflows().forEach(w -> findings.addAll(withoutPermissions(w)));
        assertTrue(findings.isEmpty(), String.join("\n", findings));
    }

    @Test
    void everyActionIsPinned() {
        List<String> findings = new ArrayList<>();
        workflows().forEach(w -> findings.addAll(unpinnedActions(w)));
        assertTrue(findings.isEmpty(), String.join("\n", findings));
    }

    @Test
    void theNativeMatrixHasEveryServiceButTheDocumentedExclusions() throws IOException {
        Set<String> services;
        try (Stream<Path> dirs = Files.list(Repo.ROOT.resolve("services"))) {
            services = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).map(d -> d.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertTrue(services.size() >= 8, "services: " + services);
        Workflow nativeYml = workflows().stream().filter(w -> w.name().equals("native.yml")).findFirst()
                .orElseThrow(() -> new AssertionError("no .github/workflows/native.yml"));
        List<String> findings = nativeMatrixFindings(nativeYml, services);
        assertTrue(findings.isEmpty(), String.join("\n", findings));
    }

    // --- each rule fails when broken -----------------------------------------------------------------------------

    static final String BROKEN = """
            name: broken
            on: push
            jobs:
              build:
                runs-on: ubuntu-24.04
                strategy:
                  matrix:
                    service: [gateway]
                steps:
                  - uses: actions/checkout@main
                  - uses: someone/action@v2
                  - name: a bad script
                    run: |
                      echo "${{ github.sha }}"
                      local x=1; echo "$x"
                  - uses: docker://alpine
              call:
                uses: ./.github/workflows/images.yml
            """;

    @Test
    void theRulesCatchABrokenWorkflow() throws Exception {
        Workflow broken = parse("broken.yml", BROKEN);
        assertEquals(List.of("broken.yml: job build has no timeout-minutes"), jobsWithoutTimeout(broken));
        assertEquals(List.of("broken.yml: no top-level permissions"), withoutPermissions(broken));
        assertEquals(List.of("broken.yml: job build uses actions/checkout@main, not pinned to a version or a commit",
                "broken.yml: job build uses docker://alpine, not pinned to a version or a commit"), unpinnedActions(broken));
        // native.yml's rule: a service missing without a documented exclusion, one in the matrix that does not exist
        assertEquals(List.of("broken.yml: services/billing is neither in the matrix nor excluded with a reason "
                + "(# excluded: billing - why)"), nativeMatrixFindings(broken, new TreeSet<>(Set.of("gateway", "billing"))));
        Workflow documented = parse("native.yml", BROKEN.replace("strategy:",
                "# excluded: billing - no native build\n    strategy:"));
        assertEquals(List.of(), nativeMatrixFindings(documented, new TreeSet<>(Set.of("gateway", "billing"))));
        assertEquals(List.of("native.yml: gateway is in the matrix but not a directory under services/"),
                nativeMatrixFindings(documented, new TreeSet<>(Set.of("billing"))));

        if (shellcheckPresent()) {
            List<Script> scripts = runScripts(broken);
            assertEquals(1, scripts.size());
            assertEquals(14, scripts.get(0).firstLine(), "the script's first line in the workflow");
            List<String> findings = shellcheckScripts(scripts, tmp, WORKFLOW_SEVERITY);
            assertEquals(1, findings.size(), String.join("\n", findings));
            assertTrue(
                    findings.get(0).startsWith(".github/workflows/broken.yml:15:11 (job build, step \"a bad script\"): error:"),
                    findings.get(0));
            assertTrue(findings.get(0).endsWith("[SC2168]"), findings.get(0));
        }
    }

    // --- the rules ---------------------------------------------------------------------------------------------

    static List<String> jobsWithoutTimeout(Workflow w) {
        List<String> findings = new ArrayList<>();
        jobs(w).forEach((id, job) -> {
            // a job that calls a reusable workflow cannot have timeout-minutes: the called workflow's jobs have theirs
            if (get(job, "uses") == null && get(job, "timeout-minutes") == null) {
                findings.add(w.name() + ": job " + id + " has no timeout-minutes");
            }
        });
        return findings;
    }

    static List<String> withoutPermissions(Workflow w) {
        return get(w.root(), "permissions") == null ? List.of(w.name() + ": no top-level permissions") : List.of();
    }

    static List<String> unpinnedActions(Workflow w) {
        List<String> findings = new ArrayList<>();
        jobs(w).forEach((id, job) -> {
            List<String> uses = new ArrayList<>();
            if (get(job, "uses") instanceof ScalarNode s) {
                uses.add(s.getValue());
            }
            if (get(job, "steps") instanceof SequenceNode steps) {
                for (Node step : steps.getValue()) {
                    if (get((MappingNode) step, "uses") instanceof ScalarNode s) {
                        uses.add(s.getValue());
                    }
                }
            }
            for (String u : uses) {
                boolean pinned = u.startsWith("./")
                        || (u.startsWith("docker://") ? u.matches("docker://[^:@]+(:[^:@]+|@sha256:[0-9a-f]{64})")
                                && !u.endsWith(":latest") : PINNED.matcher(u).matches());
                if (!pinned) {
                    findings.add(w.name() + ": job " + id + " uses " + u + ", not pinned to a version or a commit");
                }
            }
        });
        return findings;
    }

    static List<String> nativeMatrixFindings(Workflow w, Set<String> services) {
        Set<String> matrix = new TreeSet<>();
        jobs(w).values().forEach(job -> {
            if (get(job, "strategy") instanceof MappingNode strategy && get(strategy, "matrix") instanceof MappingNode m
                    && get(m, "service") instanceof SequenceNode list) {
                list.getValue().forEach(n -> matrix.add(((ScalarNode) n).getValue()));
            }
        });
        Set<String> excluded = new TreeSet<>();
        Matcher m = EXCLUDED.matcher(w.text());
        while (m.find()) {
            excluded.add(m.group(1));
        }
        List<String> findings = new ArrayList<>();
        for (String s : services) {
            if (!matrix.contains(s) && !excluded.contains(s)) {
                findings.add(w.name() + ": services/" + s + " is neither in the matrix nor excluded with a reason "
                        + "(# excluded: " + s + " - why)");
            }
            if (matrix.contains(s) && excluded.contains(s)) {
                findings.add(w.name() + ": " + s + " is in the matrix and documented as excluded");
            }
        }
        for (String s : matrix) {
            if (!services.contains(s)) {
                findings.add(w.name() + ": " + s + " is in the matrix but not a directory under services/");
            }
        }
        for (String s : excluded) {
            if (!services.contains(s)) {
                findings.add(w.name() + ": " + s + " is documented as excluded but not a directory under services/");
            }
        }
        return findings;
    }

    /**
     * Every step's run: script in a shell shellcheck knows (bash, sh), with the shell GitHub would use: the step's,
     * else the job's defaults.run.shell, else the workflow's, else bash.
     */
    static List<Script> runScripts(Workflow w) {
        List<Script> scripts = new ArrayList<>();
        String workflowShell = defaultShell(w.root());
        jobs(w).forEach((id, job) -> {
            String jobShell = defaultShell(job);
            if (!(get(job, "steps") instanceof SequenceNode steps)) {
                return;
            }
            int index = 0;
            for (Node stepNode : steps.getValue()) {
                index++;
                MappingNode step = (MappingNode) stepNode;
                if (!(get(step, "run") instanceof ScalarNode run)) {
                    continue;
                }
                String shell = scalar(step, "shell");
                if (shell == null) {
                    shell = jobShell != null ? jobShell : workflowShell != null ? workflowShell : "";
                }
                String program = shell.isEmpty() ? "bash" : shell.split("\\s+")[0];
                if (!program.equals("bash") && !program.equals("sh")) {
                    continue;
                }
                String name = scalar(step, "name");
                ScalarStyle style = run.getScalarStyle();
                // a block scalar (| or >) starts on the line after its indicator; marks are 0-based
                boolean block = style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED;
                int firstLine = run.getStartMark().getLine() + (block ? 2 : 1);
                int indent = block ? indentation(w.text(), firstLine) : run.getStartMark().getColumn();
                scripts.add(new Script(w.name(), id, name != null ? name : "#" + index, firstLine, indent, shell,
                        run.getValue()));
            }
        });
        return scripts;
    }

    /**
     * All scripts in one shellcheck call, each as a file with the header GitHub's own invocation amounts to
     * ({@code bash -e {0}} by default, {@code bash --noprofile --norc -eo pipefail {0}} for an explicit
     * {@code shell: bash}, {@code sh -e {0}}) and ${{ }} expressions replaced by underscores of the same length (as
     * actionlint does, keeping columns). Findings come back as the workflow's file:line:column, job and step.
     */
    static List<String> shellcheckScripts(List<Script> scripts, Path dir, String severity) throws Exception {
        Map<String, Script> byFile = new LinkedHashMap<>();
        int header = 2;
        for (Script s : scripts) {
            String file = String.format("%03d-%s-%s.sh", byFile.size() + 1, s.workflow().replace(".yml", ""), s.job());
            boolean sh = s.shell().startsWith("sh");
            String set = sh ? "set -e" : s.shell().equals("bash") ? "set -eo pipefail" : "set -e";
            Matcher m = EXPRESSION.matcher(s.body());
            StringBuilder body = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(body, "_".repeat(m.group().length()));
            }
            m.appendTail(body);
            Files.writeString(dir.resolve(file), (sh ? "#!/bin/sh\n" : "#!/usr/bin/env bash\n") + set + "\n" + body,
                    StandardCharsets.UTF_8);
            byFile.put(file, s);
        }
        List<String> args = new ArrayList<>(List.of("-f", "gcc", "-S", severity));
        args.addAll(byFile.keySet());
        List<String> findings = new ArrayList<>();
        for (String line : shellcheck(dir, args)) {
            Matcher m = GCC.matcher(line);
            Script s = m.matches() ? byFile.get(m.group(1)) : null;
            if (s == null) {
                findings.add(line);
                continue;
            }
            int workflowLine = s.firstLine() + Integer.parseInt(m.group(2)) - 1 - header;
            int workflowColumn = s.indent() + Integer.parseInt(m.group(3));
            findings.add(String.format(".github/workflows/%s:%d:%d (job %s, step \"%s\"): %s: %s [%s]", s.workflow(),
                    workflowLine, workflowColumn, s.job(), s.step(), m.group(4), m.group(5), m.group(6)));
        }
        return findings;
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    static List<Workflow> workflows() {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            List<Workflow> workflows = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted().map(f -> {
                        try {
                            return parse(f.getFileName().toString(), Files.readString(f));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
            assertTrue(workflows.size() >= 3, "workflows: " + workflows.size());
            return workflows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Workflow parse(String name, String text) {
        Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        if (!(root instanceof MappingNode mapping)) {
            throw new AssertionError(name + " is not a YAML mapping");
        }
        return new Workflow(name, mapping, text);
    }

    static Map<String, MappingNode> jobs(Workflow w) {
        Map<String, MappingNode> jobs = new LinkedHashMap<>();
        if (get(w.root(), "jobs") instanceof MappingNode node) {
            for (NodeTuple t : node.getValue()) {
                jobs.put(((ScalarNode) t.getKeyNode()).getValue(), (MappingNode) t.getValueNode());
            }
        } else {
            fail(w.name() + " has no jobs");
        }
        return jobs;
    }

    static Node get(MappingNode mapping, String key) {
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    static String scalar(MappingNode mapping, String key) {
        return get(mapping, key) instanceof ScalarNode s ? s.getValue() : null;
    }

    static String defaultShell(MappingNode node) {
        return get(node, "defaults") instanceof MappingNode d && get(d, "run") instanceof MappingNode r ? scalar(r, "shell")
                : null;
    }

    static int indentation(String text, int line) {
        String l = text.lines().skip(line - 1).findFirst().orElse("");
        return l.length() - l.stripLeading().length();
    }

    static boolean shellcheckPresent() {
        try {
            Process p = new ProcessBuilder("shellcheck", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assumeShellcheck() {
        Assumptions.assumeTrue(shellcheckPresent(), "shellcheck is not installed (.ci/run installs it from Debian)");
    }

    /** shellcheck's gcc-format lines; exit 0 (clean) or 1 (findings), anything else fails. */
    static List<String> shellcheck(Path dir, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("shellcheck");
        command.addAll(args);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "shellcheck did not finish");
        assertTrue(p.exitValue() == 0 || p.exitValue() == 1, "shellcheck exited " + p.exitValue() + ":\n" + out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
