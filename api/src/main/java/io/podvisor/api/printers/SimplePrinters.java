package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.podvisor.api.Times;
import io.podvisor.api.printers.Tables.Column;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The kinds whose rows are a few plain fields: Namespace (Name | Status | Age), ConfigMap (Name |
 * Data | Age), Secret (Name | Type | Data | Age), ServiceAccount (Name | Secrets | Age), Lease
 * (Name | Holder | Age), and the API server's default for kinds without a printer (Name | Created
 * At, the creation time in RFC 3339). Counts are numbers although upstream types those columns as
 * strings.
 */
final class SimplePrinters {

    private SimplePrinters() {}

    /** A printer from its columns and a cell function. */
    private record Simple(List<Column> columns, BiFunction<HasMetadata, Instant, List<Object>> cellsOf)
            implements KindPrinter {
        @Override
        public List<Object> cells(HasMetadata object, Instant now) {
            return cellsOf.apply(object, now);
        }
    }

    static final KindPrinter NAMESPACE = new Simple(
            List.of(Columns.name(), Columns.column("Status", "The status of the namespace"), Columns.age()),
            (o, now) -> {
                Namespace ns = Columns.as(o, Namespace.class);
                String phase = ns.getStatus() == null ? null : ns.getStatus().getPhase();
                return List.of(Columns.name(ns), Columns.orEmpty(phase), Columns.age(ns, now));
            });

    static final KindPrinter CONFIG_MAP = new Simple(
            List.of(Columns.name(), Columns.column("Data", "Data contains the configuration data. Each key must "
                    + "consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences "
                    + "must use the BinaryData field. The keys stored in Data must not overlap with the keys in the "
                    + "BinaryData field, this is enforced during validation process."), Columns.age()),
            (o, now) -> {
                ConfigMap cm = Columns.as(o, ConfigMap.class);
                return List.of(Columns.name(cm), (long) (size(cm.getData()) + size(cm.getBinaryData())),
                        Columns.age(cm, now));
            });

    static final KindPrinter SECRET = new Simple(
            List.of(Columns.name(),
                    Columns.column("Type", "Used to facilitate programmatic handling of secret data. More info: "
                            + "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
                    Columns.column("Data", "Data contains the secret data. Each key must consist of alphanumeric "
                            + "characters, '-', '_' or '.'. The serialized form of the secret data is a base64 "
                            + "encoded string, representing the arbitrary (possibly non-string) data value here. "
                            + "Described in https://tools.ietf.org/html/rfc4648#section-4"),
                    Columns.age()),
            (o, now) -> {
                Secret s = Columns.as(o, Secret.class);
                return List.of(Columns.name(s), Columns.orEmpty(s.getType()), (long) size(s.getData()),
                        Columns.age(s, now));
            });

    static final KindPrinter SERVICE_ACCOUNT = new Simple(
            List.of(Columns.name(), Columns.column("Secrets", "Secrets is a list of the secrets in the same "
                    + "namespace that pods running using this ServiceAccount are allowed to use. Pods are only "
                    + "limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" "
                    + "annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is "
                    + "deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This "
                    + "field should not be used to find auto-generated service account token secrets for use outside "
                    + "of pods. Instead, tokens can be requested directly using the TokenRequest API, or service "
                    + "account token secrets can be manually created. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/secret"), Columns.age()),
            (o, now) -> {
                ServiceAccount sa = Columns.as(o, ServiceAccount.class);
                return List.of(Columns.name(sa), (long) Columns.list(sa.getSecrets()).size(), Columns.age(sa, now));
            });

    static final KindPrinter LEASE = new Simple(
            List.of(Columns.name(), Columns.column("Holder", "holderIdentity contains the identity of the holder of "
                    + "a current lease. If Coordinated Leader Election is used, the holder identity must be equal "
                    + "to the elected LeaseCandidate.metadata.name field."), Columns.age()),
            (o, now) -> {
                Lease lease = Columns.as(o, Lease.class);
                String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
                return List.of(Columns.name(lease), Columns.orEmpty(holder), Columns.age(lease, now));
            });

    static final KindPrinter DEFAULT = new Simple(
            List.of(Columns.name(), new Column("Created At", "date", "", Columns.AGE_DOC, 0)),
            (o, now) -> List.of(Columns.name(o), createdAt(o.getMetadata())));

    private static int size(Map<String, String> m) {
        return m == null ? 0 : m.size();
    }

    /** RFC 3339 in UTC; a missing timestamp prints as Go's zero time. */
    private static String createdAt(ObjectMeta meta) {
        Instant t = meta == null ? null : Times.parse(meta.getCreationTimestamp());
        return t == null ? "0001-01-01T00:00:00Z" : Times.format(t);
    }
}
