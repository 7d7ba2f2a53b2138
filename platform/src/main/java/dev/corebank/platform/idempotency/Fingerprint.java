package dev.corebank.platform.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over a request's parsed fields, so that a retry counts as the same request whatever its JSON
 * spacing or field order, and any change of meaning makes it a different one.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** The fields in a fixed order; a null field is told apart from every string, the empty one included. */
    public static byte[] of(Object... fields) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object field : fields) {
                if (field == null) {
                    sha.update((byte) 0);
                } else {
                    byte[] bytes = field.toString().getBytes(StandardCharsets.UTF_8);
                    sha.update((byte) 1);
                    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                    sha.update(bytes);
                }
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
