package dev.corebank.outbox;

/** CloudEvents 1.0 Kafka binary-mode header names, written by the relay and read by consumers. */
public final class CloudEvents {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    /**
     * Not a CloudEvents attribute: on a reply, the {@code ce_source} of the command it answers, so the many
     * services reading one reply topic pass over each other's replies by a header, without parsing them.
     * Events that answer no command carry none and are for every reader.
     */
    public static final String RECIPIENT = "corebank-recipient";

    public static final String VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    private static final String SOURCE_PREFIX = "/corebank/";

    private CloudEvents() {
    }

    /** The {@code ce_source} of the records relayed from the outbox the relay calls {@code sourceName}. */
    public static String sourceOf(String sourceName) {
        return SOURCE_PREFIX + sourceName;
    }
}
