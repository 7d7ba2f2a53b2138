package dev.corebank.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects an overlay renders to, as `kubectl kustomize` prints them. */
record Manifests(String overlay, List<JsonNode> objects) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final String KUBECTL_HINT = "kubectl (with its built-in kustomize) must be on the PATH: Debian's package "
            + "kubectl, as on this kind of machine (apt-get install kubectl).";

    /** Renders k8s/overlays/{overlay} of the repository (or of a copy of k8s/ under kustomizeRoot). */
    static Manifests render(Path k8s, String overlay) {
        Path dir = k8s.resolve("overlays").resolve(overlay);
        var out = Repository.run(k8s, List.of("kubectl", "kustomize", dir.toString()), KUBECTL_HINT);
        if (out.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + out.exitCode() + "):\n" + out.stderr());
        }
        return new Manifests(overlay, parse(out.stdout()));
    }

    static List<JsonNode> parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    Stream<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind));
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }
}
