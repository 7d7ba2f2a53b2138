package dev.corebank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README.md stays the front door: at most 10,000 bytes, and no link of it or of docs/ leads nowhere. */
class FrontDoorTest {

    private static final long README_LIMIT = 10_000;

    @Test
    void readme_fits_in_ten_kilobytes() throws IOException {
        long size = Files.size(Repository.ROOT.resolve("README.md"));
        assertTrue(size <= README_LIMIT, "README.md is " + size + " bytes; depth belongs in docs/");
    }

    @Test
    void every_relative_link_of_readme_and_docs_resolves() {
        Repository.Output out = checkLinks();
        assertEquals(0, out.exitCode(), out.stdout() + out.stderr());
    }

    @Test
    void the_link_check_fails_on_a_missing_target() throws IOException {
        var page = Files.createTempFile(Repository.ROOT.resolve("docs"), "front-door-check-", ".md");
        try {
            Files.writeString(page, "[gone](no-such-file.md)\n");
            Repository.Output out = checkLinks();
            assertEquals(1, out.exitCode(), out.stdout() + out.stderr());
            assertTrue(out.stdout().contains("no-such-file.md"), out.stdout());
        } finally {
            Files.deleteIfExists(page);
        }
    }

    private static Repository.Output checkLinks() {
        return Repository.run(Repository.ROOT, List.of("python3", "bin/check-links"),
                "install python3 (apt-get install python3)");
    }
}
