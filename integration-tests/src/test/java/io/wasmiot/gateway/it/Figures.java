package io.wasmiot.gateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Measured figures of the end-to-end tests: printed to the test's output and appended to
 * {@code target/it/figures.txt}, one line each: {@code <test> | <scenario> | <figure>}.
 */
final class Figures {
    private Figures() {
    }

    static void report(String test, String scenario, String figure) {
        String line = "FIGURE | " + test + " | " + scenario + " | " + figure;
        System.out.println(line);
        Path file = Path.of(System.getProperty("wasmiot.it.dir", "target/it")).resolve("figures.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(figures.txt not written: " + e + ")");
        }
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
