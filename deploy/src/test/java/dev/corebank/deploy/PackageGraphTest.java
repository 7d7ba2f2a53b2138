package dev.corebank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the main code, read from its sources: packages depend on each other one way (no cycle through
 * the imports between {@code dev.corebank} packages of every module's {@code src/main/java}), and no package
 * repeats a name in its path ({@code account.account}).
 */
class PackageGraphTest {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?(dev\\.corebank(?:\\.[a-z]\\w*)+)\\.[A-Z]\\w*[\\w.*]*;", Pattern.MULTILINE);
    private static final Pattern REPEATED = Pattern.compile("\\.(\\w+)\\.\\1(\\.|$)");

    @Test
    void main_code_packages_form_no_cycle() {
        Map<String, Set<String>> graph = packageGraph();
        assertTrue(graph.size() > 20, "read the packages of every module: " + graph.keySet());
        assertEquals(List.of(), cycles(graph), "packages that import each other, directly or round about");
    }

    @Test
    void no_package_repeats_a_name_in_its_path() {
        List<String> repeated = packageGraph().keySet().stream().filter(name -> REPEATED.matcher(name).find()).toList();
        assertEquals(List.of(), repeated);
    }

    @Test
    void the_cycle_check_finds_a_cycle_when_there_is_one() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
        assertFalse(REPEATED.matcher("dev.corebank.order.readmodel").find());
        assertTrue(REPEATED.matcher("dev.corebank.account.account").find());
    }

    /** Each main-code package of the repository and the other dev.corebank packages it imports from. */
    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Repository.ROOT)) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> file.toString().contains("/src/main/java/"))
                    .filter(file -> !file.toString().contains("/target/"))
                    .forEach(file -> {
                        String source = Repository.read(file);
                        Matcher declared = PACKAGE.matcher(source);
                        if (!declared.find()) {
                            return;
                        }
                        Set<String> imports = graph.computeIfAbsent(declared.group(1), name -> new TreeSet<>());
                        Matcher imported = IMPORT.matcher(source);
                        while (imported.find()) {
                            if (!imported.group(1).equals(declared.group(1))) {
                                imports.add(imported.group(1));
                            }
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> cycles = new ArrayList<>();
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<List<String>> cycles) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, cycles);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                cycles.add(component.stream().sorted().toList());
            }
        }
    }
}
