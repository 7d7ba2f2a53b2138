package dev.corebank.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corebank.chaos.Request.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the suite shows: the table on the console, every request of a scenario as CSV, and one self-contained
 * HTML page with the table, each scenario's checks and its per-second charts (Chart.js with the annotation plugin,
 * both inlined, so the page opens anywhere without a network), the fault's window shaded.
 */
final class Report {

    /** One scenario's outcome. */
    record Result(Run run, List<Check> checks) {

        boolean passed() {
            return checks.stream().allMatch(Check::ok);
        }

        List<String> failed() {
            return checks.stream().filter(check -> !check.ok()).map(Check::name).toList();
        }
    }

    private Report() {
    }

    // ---------------------------------------------------------------------------------------------------
    // Console

    static void table(List<Result> results, PrintStream out) {
        String format = "%-14s %8s %8s %9s %6s %10s  %s%n";
        out.printf(format, "scenario", "requests", "refused", "accepted", "lost", "recovery s", "invariants");
        for (Result result : results) {
            Run run = result.run();
            out.printf(format, run.scenario().name(), run.requests().size(), run.count(Outcome.REFUSED),
                    run.count(Outcome.ACCEPTED), run.lost(), recovery(run),
                    result.passed() ? "all " + result.checks().size() + " held" : "FAILED: " + String.join(", ", result.failed()));
        }
    }

    static void details(Result result, PrintStream out) {
        for (Check check : result.checks()) {
            out.printf("  %s %s: %s%n", check.ok() ? "ok  " : "FAIL", check.name(), check.detail());
        }
    }

    private static String recovery(Run run) {
        double seconds = run.recoverySeconds();
        return Double.isNaN(seconds) ? "never" : String.format(Locale.ROOT, "%.1f", seconds);
    }

    // ---------------------------------------------------------------------------------------------------
    // Every request, as recorded

    static void csv(Run run, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("kind,probe,idempotency_key,intended_s,sent_s,answered_s,latency_ms,status,outcome,retry_after_problem_json,id,final_state,final_s,detail\n");
            for (Request r : run.requests()) {
                out.write(String.join(",", r.kind.name(), Boolean.toString(r.probe), r.key, seconds(run, r.intendedAt),
                        seconds(run, r.sentAt), seconds(run, r.answeredAt),
                        r.answeredAt == 0 ? "" : String.format(Locale.ROOT, "%.1f", (r.answeredAt - r.intendedAt) / 1e6),
                        Integer.toString(r.status), r.outcome.name(), Boolean.toString(r.problemJson),
                        r.id == null ? "" : r.id, r.state == null ? "" : r.state, seconds(run, r.finalAt),
                        quote(r.detail)));
                out.write('\n');
            }
        }
    }

    private static String seconds(Run run, long nanoTime) {
        return nanoTime == 0 ? "" : String.format(Locale.ROOT, "%.3f", run.second(nanoTime));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"").replace('\n', ' ') + "\"";
    }

    // ---------------------------------------------------------------------------------------------------
    // HTML

    static void html(List<Result> results, Path file, Path chartJs, Path annotationJs, String title) throws IOException {
        ObjectNode data = Http.JSON.createObjectNode();
        ArrayNode scenarios = data.putArray("scenarios");
        for (Result result : results) {
            scenarios.add(scenario(result));
        }
        // Filled in one pass over the template, so nothing inlined (the libraries' source) is searched for markers.
        Map<String, String> values = Map.of("@TITLE@", escape(title), "@CHARTJS@", script(Files.readString(chartJs)),
                "@ANNOTATION@", script(Files.readString(annotationJs)), "@DATA@", script(Http.JSON.writeValueAsString(data)));
        Matcher marker = Pattern.compile("@[A-Z]+@").matcher(TEMPLATE);
        StringBuilder page = new StringBuilder();
        while (marker.find()) {
            marker.appendReplacement(page, Matcher.quoteReplacement(values.getOrDefault(marker.group(), marker.group())));
        }
        marker.appendTail(page);
        Files.writeString(file, page);
    }

    private static ObjectNode scenario(Result result) {
        Run run = result.run();
        ObjectNode node = Http.JSON.createObjectNode();
        node.put("name", run.scenario().name());
        node.put("fault", run.scenario().fault());
        node.put("outageSeconds", run.scenario().outageSeconds());
        node.put("start", run.wallOrigin().toString());
        node.put("faultStart", run.second(run.faultStart()));
        node.put("faultEnd", run.second(run.faultEnd()));
        if (run.recoveredAt() != 0) {
            node.put("recovered", run.second(run.recoveredAt()));
        }
        node.put("requests", run.requests().size());
        node.put("refused", run.count(Outcome.REFUSED));
        node.put("accepted", run.count(Outcome.ACCEPTED));
        node.put("lost", run.lost());
        node.put("recovery", recovery(run));
        node.put("passed", result.passed());
        ArrayNode checks = node.putArray("checks");
        for (Check check : result.checks()) {
            checks.addObject().put("name", check.name()).put("ok", check.ok()).put("detail", check.detail());
        }
        node.set("series", series(run));
        return node;
    }

    /**
     * Per second of the run: requests offered, answered by outcome (at the second they were answered), requests
     * seen final (at the second that was seen), and the answer latency of the requests offered in that second.
     */
    private static ObjectNode series(Run run) {
        int seconds = 1 + (int) run.requests().stream()
                .mapToDouble(r -> Math.max(run.second(r.intendedAt), Math.max(run.second(r.answeredAt), run.second(r.finalAt))))
                .max().orElse(0);
        long[] offered = new long[seconds];
        long[][] answered = new long[Outcome.values().length][seconds];
        long[] succeeded = new long[seconds];
        long[] otherFinal = new long[seconds];
        List<List<Double>> latencies = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            latencies.add(new ArrayList<>());
        }
        for (Request r : run.requests()) {
            if (r.probe) {
                continue;
            }
            int due = bucket(run, r.intendedAt, seconds);
            offered[due]++;
            if (r.answeredAt != 0) {
                answered[r.outcome.ordinal()][bucket(run, r.answeredAt, seconds)]++;
                latencies.get(due).add((r.answeredAt - r.intendedAt) / 1e6);
            }
            if (r.finalAt != 0) {
                (r.succeeded() ? succeeded : otherFinal)[bucket(run, r.finalAt, seconds)]++;
            }
        }
        ObjectNode series = Http.JSON.createObjectNode();
        series.set("offered", array(offered));
        for (Outcome outcome : Outcome.values()) {
            series.set(outcome.name().toLowerCase(), array(answered[outcome.ordinal()]));
        }
        series.set("succeeded", array(succeeded));
        series.set("otherFinal", array(otherFinal));
        ArrayNode p50 = series.putArray("p50");
        ArrayNode p99 = series.putArray("p99");
        ArrayNode max = series.putArray("max");
        for (List<Double> second : latencies) {
            double[] sorted = second.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            p50.add(percentile(sorted, 0.50));
            p99.add(percentile(sorted, 0.99));
            max.add(sorted.length == 0 ? null : sorted[sorted.length - 1]);
        }
        return series;
    }

    private static int bucket(Run run, long nanoTime, int seconds) {
        return Math.min(seconds - 1, Math.max(0, (int) Math.floor(run.second(nanoTime))));
    }

    private static Double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return null;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static ArrayNode array(long[] values) {
        ArrayNode array = Http.JSON.createArrayNode();
        Arrays.stream(values).forEach(array::add);
        return array;
    }

    /** Text safe inside a script element: "</script" would end it early. */
    private static String script(String text) {
        return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String title(Instant at) {
        return "corebank chaos suite, " + at;
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>@TITLE@</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1200px; }
              table { border-collapse: collapse; margin: 1em 0; }
              th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; font-size: 0.9em; }
              td.num { text-align: right; }
              .ok { color: #17692d; } .fail { color: #b00020; font-weight: bold; }
              .charts { display: grid; grid-template-columns: 1fr; gap: 1em; }
              .chart { height: 260px; }
              section { border-top: 2px solid #ddd; margin-top: 2em; }
              .detail { color: #555; font-size: 0.85em; }
            </style>
            <script>@CHARTJS@</script>
            <script>@ANNOTATION@</script>
            <script id="data" type="application/json">@DATA@</script>
            </head>
            <body>
            <h1>@TITLE@</h1>
            <p>Each scenario ran under steady open-loop load (transfers and orders). <b>refused</b>: 503/429 answered
            with Retry-After (acceptable during an outage). <b>lost</b>: accepted but never seen final, a 5xx, or no
            answer within the client's timeout (must be 0). <b>recovery</b>: seconds from the fault's end until every
            process was live and ready and a new transfer and a new order completed. The shaded band is the fault.</p>
            <table id="summary"><thead><tr><th>scenario</th><th>fault</th><th>requests</th><th>refused</th><th>accepted</th>
            <th>lost</th><th>recovery s</th><th>invariants</th></tr></thead><tbody></tbody></table>
            <div id="scenarios"></div>
            <script>
            (function () {
              if (window['chartjs-plugin-annotation']) { Chart.register(window['chartjs-plugin-annotation']); }
              const data = JSON.parse(document.getElementById('data').textContent);
              const el = (tag, attrs, text) => { const e = document.createElement(tag); Object.assign(e, attrs || {}); if (text !== undefined) e.textContent = text; return e; };
              const summary = document.querySelector('#summary tbody');
              data.scenarios.forEach((s, index) => {
                const failed = s.checks.filter(c => !c.ok).map(c => c.name);
                const row = el('tr');
                row.append(el('td', {}, ''), el('td', {}, s.fault), el('td', {className: 'num'}, s.requests),
                  el('td', {className: 'num'}, s.refused), el('td', {className: 'num'}, s.accepted),
                  el('td', {className: 'num' + (s.lost > 0 ? ' fail' : '')}, s.lost), el('td', {className: 'num'}, s.recovery),
                  el('td', {className: s.passed ? 'ok' : 'fail'}, s.passed ? 'all ' + s.checks.length + ' held' : 'FAILED: ' + failed.join(', ')));
                row.firstChild.append(el('a', {href: '#s' + index}, s.name));
                summary.append(row);

                const section = el('section', {id: 's' + index});
                section.append(el('h2', {className: s.passed ? 'ok' : 'fail'}, s.name + (s.passed ? ': all invariants held' : ': FAILED')));
                section.append(el('p', {}, s.fault + ' for ' + s.outageSeconds + ' s; load started ' + s.start
                  + '; fault from ' + s.faultStart.toFixed(1) + ' s to ' + s.faultEnd.toFixed(1) + ' s; recovered '
                  + (s.recovered !== undefined ? 'at ' + s.recovered.toFixed(1) + ' s' : 'never')));
                const checks = el('table');
                checks.append(el('tr'));
                checks.firstChild.append(el('th', {}, 'check'), el('th', {}, ''), el('th', {}, 'seen'));
                s.checks.forEach(c => {
                  const tr = el('tr');
                  tr.append(el('td', {}, c.name), el('td', {className: c.ok ? 'ok' : 'fail'}, c.ok ? 'ok' : 'FAILED'), el('td', {className: 'detail'}, c.detail));
                  checks.append(tr);
                });
                section.append(checks);
                const charts = el('div', {className: 'charts'});
                section.append(charts);
                document.getElementById('scenarios').append(section);

                const seconds = s.series.offered.map((_, i) => i);
                const points = values => values.map((y, x) => ({x: x + 0.5, y: y}));
                const fault = {
                  window: {type: 'box', xMin: s.faultStart, xMax: s.faultEnd, backgroundColor: 'rgba(220, 50, 50, 0.12)',
                    borderWidth: 0, label: {display: true, content: 'fault', position: 'start'}}
                };
                if (s.recovered !== undefined) {
                  fault.recovered = {type: 'line', xMin: s.recovered, xMax: s.recovered, borderColor: 'rgba(23, 105, 45, 0.8)',
                    borderDash: [6, 4], borderWidth: 2, label: {display: true, content: 'recovered', position: 'end'}};
                }
                const chart = (title, datasets, yTitle, logarithmic) => {
                  const box = el('div', {className: 'chart'});
                  const canvas = el('canvas');
                  box.append(canvas);
                  charts.append(box);
                  new Chart(canvas, {
                    type: 'line',
                    data: {datasets: datasets.map(d => Object.assign({pointRadius: 0, borderWidth: 1.5, tension: 0, spanGaps: false}, d))},
                    options: {
                      animation: false, maintainAspectRatio: false, parsing: true,
                      interaction: {mode: 'nearest', axis: 'x', intersect: false},
                      plugins: {title: {display: true, text: title}, annotation: {annotations: fault}},
                      scales: {
                        x: {type: 'linear', min: 0, max: seconds.length, title: {display: true, text: 'seconds since the load started'}},
                        // One width for every y axis, so the three charts' seconds line up under each other.
                        y: {type: logarithmic ? 'logarithmic' : 'linear', beginAtZero: !logarithmic, title: {display: true, text: yTitle},
                          afterFit: axis => { axis.width = 70; }}
                      }
                    }
                  });
                };
                const se = s.series;
                chart('Throughput per second', [
                  {label: 'offered', data: points(se.offered), borderColor: '#999', borderDash: [4, 3]},
                  {label: 'accepted (2xx)', data: points(se.accepted), borderColor: '#1f77b4'},
                  {label: 'completed / confirmed (seen by GET)', data: points(se.succeeded), borderColor: '#2ca02c'},
                  {label: 'rejected / cancelled', data: points(se.otherFinal), borderColor: '#8c564b'}
                ], 'requests / s');
                chart('Errors and refusals per second (by the second they were answered)', [
                  {label: 'refused: 503/429 + Retry-After', data: points(se.refused), borderColor: '#ff7f0e'},
                  {label: '503/429 without Retry-After', data: points(se.refused_without_retry_after), borderColor: '#e377c2'},
                  {label: '5xx', data: points(se.server_error), borderColor: '#d62728'},
                  {label: 'hang (no answer in time)', data: points(se.hang), borderColor: '#7f0000'},
                  {label: 'unreachable', data: points(se.unreachable), borderColor: '#9467bd'},
                  {label: '4xx', data: points(se.client_error), borderColor: '#bcbd22'}
                ], 'requests / s');
                chart('POST answer latency from the intended send time (by the second it was offered)', [
                  {label: 'p50', data: points(se.p50), borderColor: '#1f77b4'},
                  {label: 'p99', data: points(se.p99), borderColor: '#ff7f0e'},
                  {label: 'max', data: points(se.max), borderColor: '#d62728'}
                ], 'ms (log scale)', true);
              });
            })();
            </script>
            </body>
            </html>
            """;
}
