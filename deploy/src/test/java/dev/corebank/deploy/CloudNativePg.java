package dev.corebank.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A strict model of the CloudNativePG (postgresql.cnpg.io/v1) Cluster fields this repository uses. No
 * Maven or npm package ships the operator's schema, so this stands in for it: read with unknown
 * properties refused, required ones checked, enumerations as the operator's API reference gives them.
 * A field the manifests start to use must be added here, after checking it in that reference.
 */
final class CloudNativePg {

    private CloudNativePg() {
    }

    record Cluster(String apiVersion, String kind, Metadata metadata, Spec spec) {
        Cluster {
            require("postgresql.cnpg.io/v1".equals(apiVersion), "apiVersion must be postgresql.cnpg.io/v1");
            require("Cluster".equals(kind), "kind must be Cluster");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(spec, "spec");
        }
    }

    record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
        Metadata {
            Objects.requireNonNull(name, "metadata.name");
        }
    }

    record Spec(Integer instances, String imageName, PrimaryUpdateStrategy primaryUpdateStrategy, Storage storage,
            Resources resources, Postgresql postgresql, Bootstrap bootstrap, Managed managed,
            Monitoring monitoring) {
        Spec {
            require(instances != null && instances >= 1, "spec.instances must be at least 1");
            Objects.requireNonNull(storage, "spec.storage");
        }
    }

    enum PrimaryUpdateStrategy {
        @JsonProperty("unsupervised") UNSUPERVISED,
        @JsonProperty("supervised") SUPERVISED
    }

    record Storage(String size, String storageClass) {
        Storage {
            require(size != null && size.matches("\\d+(Mi|Gi|Ti)"), "spec.storage.size must be a quantity such as 20Gi");
        }
    }

    record Resources(Map<ResourceName, String> requests, Map<ResourceName, String> limits) {
    }

    enum ResourceName {
        @JsonProperty("cpu") CPU,
        @JsonProperty("memory") MEMORY
    }

    record Postgresql(Map<String, String> parameters, Synchronous synchronous) {
    }

    record Synchronous(SyncMethod method, Integer number, DataDurability dataDurability) {
        Synchronous {
            Objects.requireNonNull(method, "synchronous.method");
            require(number != null && number >= 1, "synchronous.number must be at least 1");
        }
    }

    enum SyncMethod {
        @JsonProperty("any") ANY,
        @JsonProperty("first") FIRST
    }

    enum DataDurability {
        @JsonProperty("required") REQUIRED,
        @JsonProperty("preferred") PREFERRED
    }

    record Bootstrap(InitDb initdb) {
        Bootstrap {
            Objects.requireNonNull(initdb, "bootstrap.initdb");
        }
    }

    record InitDb(String database, String owner, SecretRef secret, List<String> postInitSQL,
            List<String> postInitApplicationSQL) {
        InitDb {
            Objects.requireNonNull(database, "initdb.database");
            Objects.requireNonNull(owner, "initdb.owner");
        }
    }

    record SecretRef(String name) {
        SecretRef {
            Objects.requireNonNull(name, "secret name");
        }
    }

    record Managed(List<Role> roles) {
    }

    record Role(String name, Ensure ensure, Boolean login, Boolean superuser, Boolean inherit, String comment,
            List<String> inRoles, SecretRef passwordSecret, Integer connectionLimit) {
        Role {
            Objects.requireNonNull(name, "role name");
        }
    }

    enum Ensure {
        @JsonProperty("present") PRESENT,
        @JsonProperty("absent") ABSENT
    }

    record Monitoring(Boolean enablePodMonitor) {
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
