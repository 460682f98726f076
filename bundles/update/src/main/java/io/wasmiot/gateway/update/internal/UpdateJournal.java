package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The journal of every update step, one JSON object a line ({@code data/updates/journal.jsonl}).
 * A file of the gateway's own and not the device store: the store is a bundle that may itself be
 * the one being updated, and on PostgreSQL it is shared by gateways whose bundles differ. Each line
 * is forced to disk before {@link #append} returns, so a kill -9 right after an apply still finds
 * its {@code APPLYING} line; a line cut by the kill is skipped with a warning. Past its size bound
 * the oldest lines are dropped (the newest, and so a running update's {@code APPLYING}, always stay),
 * through a copy renamed over the file, so that a kill leaves either journal whole.
 */
final class UpdateJournal {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateJournal.class);
    private final ObjectMapper mapper = UpdateJson.mapper();
    private final Path file;
    private final LongSupplier maxBytes;

    /** @param maxBytes the size past which the oldest lines are dropped, down to half of it */
    UpdateJournal(Path file, LongSupplier maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
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
        long bound = maxBytes.getAsLong();
        if (Files.size(file) > bound) {
            trim(bound / 2);
        }
    }

    /** Keeps the newest lines that fit in {@code keepBytes} (at least the newest line). */
    private void trim(long keepBytes) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        ArrayDeque<String> kept = new ArrayDeque<>();
        long size = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            long lineBytes = lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1L;
            if (!kept.isEmpty() && size + lineBytes > keepBytes) {
                break;
            }
            kept.addFirst(lines.get(i));
            size += lineBytes;
        }
        Path copy = file.resolveSibling(file.getFileName() + ".trimmed");
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            folder.force(true); // the rename itself survives a power loss
        } catch (IOException e) {
            LOG.debug("Update journal: the folder {} cannot be synced: {}", file.getParent(), e.toString());
        }
        LOG.info("Update journal {}: the oldest {} line(s) dropped, {} kept ({} bytes)", file, lines.size() - kept.size(),
                kept.size(), size);
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
