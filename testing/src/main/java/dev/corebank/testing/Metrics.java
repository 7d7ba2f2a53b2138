package dev.corebank.testing;

import static io.restassured.RestAssured.given;

/** Prometheus samples from the application under test ({@code /q/metrics}). */
public final class Metrics {

    private Metrics() {
    }

    /** The sum of every sample of {@code name}, whatever its labels; 0 while it has none. */
    public static double sum(String name) {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
