package dev.corebank.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bearer tokens signed with the dev key (infra/jwt/dev-private.pem), the same ones {@code bin/token} mints:
 * the services under test trust its public half.
 */
public final class Tokens {

    /**
     * Sent as the Authorization header, it makes {@link StaffTokenByDefault} send the request with no token
     * at all.
     */
    public static final String NONE = "none";

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final PrivateKey KEY = devKey();
    private static String publicKey;

    /** The identity requests carry when a test names none: staff who may do everything but be a customer. */
    public static final String STAFF = mint("test-staff", "teller", "operator");

    private Tokens() {
    }

    /** A token for {@code subject} with {@code roles}, valid for an hour. */
    public static String mint(String subject, String... roles) {
        return sign(subject, Instant.now().plusSeconds(3600), "corebank", roles);
    }

    /** A token that expired a minute ago. */
    public static String expired(String subject, String... roles) {
        return sign(subject, Instant.now().minusSeconds(60), "corebank", roles);
    }

    /** A token from an issuer the services do not trust (right key, wrong {@code iss}). */
    public static String foreignIssuer(String subject, String... roles) {
        return sign(subject, Instant.now().plusSeconds(3600), "somebody-else", roles);
    }

    /** The dev public key as a file, for the packaged services tests start ({@code mp.jwt.verify.publickey.location}). */
    public static synchronized String publicKeyFile() {
        try {
            if (publicKey == null) {
                Path file = Files.createTempFile("corebank-dev-jwt", ".pem");
                file.toFile().deleteOnExit();
                try (InputStream pem = Tokens.class.getResourceAsStream("/corebank/jwt/dev-public.pem")) {
                    Files.write(file, pem.readAllBytes());
                }
                publicKey = file.toAbsolutePath().toString();
            }
            return publicKey;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the dev public key", e);
        }
    }

    /** The Authorization header value for {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String sign(String subject, Instant expiry, String issuer, String... roles) {
        String groups = Stream.of(roles).map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
        long now = Instant.now().getEpochSecond();
        String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = encode("{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                + "\",\"groups\":[" + groups + "],\"iat\":" + Math.min(now, expiry.getEpochSecond() - 1)
                + ",\"exp\":" + expiry.getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(KEY);
            rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static PrivateKey devKey() {
        try (InputStream pem = Tokens.class.getResourceAsStream("/corebank/jwt/dev-private.pem")) {
            if (pem == null) {
                throw new IllegalStateException("corebank/jwt/dev-private.pem is not on the classpath");
            }
            String base64 = new String(pem.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the dev signing key", e);
        }
    }
}
