package dev.corebank.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much work each stage of a transfer's way did at once during a step, from the services' own batch-size
 * metrics ({@code /q/metrics}): requests per accepting transaction, rows per relay round (per source), commands
 * per ledger transaction and answers per settling transaction, each with how many such batches ran per second.
 * Every stage takes whatever has arrived when it is free, so these say where spare CPU went into smaller
 * batches and where work queued.
 */
final class StageBatches {

    /** A stage: a label, the base URL of the process that reports it, and its summary's name and labels. */
    record Stage(String label, String url, String summary) {
    }

    /** The cumulative counts and sums of every stage's summary at one moment (System.nanoTime). */
    record Sample(long nanos, Map<Stage, double[]> countAndSum) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Stage> stages;

    StageBatches(List<Stage> stages) {
        this.stages = stages;
    }

    Sample sample() {
        Map<Stage, double[]> values = new HashMap<>();
        Map<String, Map<String, Double>> scraped = new HashMap<>();
        for (Stage stage : stages) {
            Map<String, Double> metrics = scraped.computeIfAbsent(stage.url(), StageBatches::scrape);
            values.put(stage, new double[] {
                    metrics.getOrDefault(series(stage.summary(), "_count"), 0.0),
                    metrics.getOrDefault(series(stage.summary(), "_sum"), 0.0)});
        }
        return new Sample(System.nanoTime(), values);
    }

    /** e.g. {@code accepts 1.7 (258/s); ...}: items per batch and batches per second between two samples. */
    String between(Sample before, Sample after) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        List<String> parts = new ArrayList<>();
        for (Stage stage : stages) {
            double batches = after.countAndSum().get(stage)[0] - before.countAndSum().get(stage)[0];
            double items = after.countAndSum().get(stage)[1] - before.countAndSum().get(stage)[1];
            parts.add(batches == 0 ? stage.label() + " none"
                    : String.format("%s %.1f (%,.0f/s)", stage.label(), items / batches, batches / seconds));
        }
        return "batches (items per batch, batches per second): " + String.join("; ", parts);
    }

    /** {@code name{labels}} with the suffix put after the name, as Prometheus writes a summary's series. */
    private static String series(String summary, String suffix) {
        int brace = summary.indexOf('{');
        return brace < 0 ? summary + suffix : summary.substring(0, brace) + suffix + summary.substring(brace);
    }

    /** Every sample line of a Prometheus text page, by series (name and labels); empty on failure. */
    static Map<String, Double> scrape(String url) {
        Map<String, Double> metrics = new HashMap<>();
        try {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                    .header("Accept", "text/plain").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : page.body().split("\n")) {
                int space = line.lastIndexOf(' ');
                if (line.startsWith("#") || space < 0) {
                    continue;
                }
                try {
                    // Some exporters end a label set with a comma ({a="b",}); keys here never do.
                    metrics.put(line.substring(0, space).replace(",}", "}"), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException ignored) {
                    // not a sample line
                }
            }
        } catch (IOException e) {
            return metrics;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return metrics;
    }
}
