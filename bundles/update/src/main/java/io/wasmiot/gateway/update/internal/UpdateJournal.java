package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The journal of every update step, one JSON object a line ({@code data/updates/journal.jsonl}).
 * A file of the gateway's own and not the device store: the store is a bundle that may itself be
 * the one being updated, and on PostgreSQL it is shared by gateways whose bundles differ. Each line
 * is forced to disk before {@link #append} returns, so a kill -9 right after an apply still finds
 * its {@code APPLYING} line; a line cut by the kill is skipped with a warning.
 */
final class UpdateJournal {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateJournal.class);
    private final ObjectMapper mapper = UpdateJson.mapper();
    private final Path file;

    UpdateJournal(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    synchronized void append(JournalEntry entry) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] line = (mapper.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) { // one writer (this monitor): appends at the end it reads
            channel.position(channel.size());
            if (channel.size() > 0 && !endsWithNewline(channel)) {
                line = ("\n" + new String(line, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** A line cut by a kill is closed first, so that the next entry stays a line of its own. */
    private static boolean endsWithNewline(FileChannel channel) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, channel.size() - 1);
        return last.get(0) == '\n';
    }

    /** Every readable entry, oldest first. */
    synchronized List<JournalEntry> entries() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JournalEntry> entries = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(mapper.readValue(line, JournalEntry.class));
            } catch (JsonProcessingException e) {
                LOG.warn("Update journal {} line {} is not readable (cut by a kill?), skipped: {}", file, number,
                        e.getOriginalMessage());
            }
        }
        return entries;
    }

    /** The updates whose last step is {@code APPLYING}: applied, then neither committed nor rolled back. */
    List<JournalEntry> interrupted() throws IOException {
        return interrupted(entries());
    }

    static List<JournalEntry> interrupted(List<JournalEntry> entries) {
        Map<String, JournalEntry> last = new LinkedHashMap<>();
        for (JournalEntry entry : entries) {
            last.put(entry.update(), entry);
        }
        return last.values().stream().filter(entry -> !entry.step().isFinal()).toList();
    }
}
