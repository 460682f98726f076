package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.wasmiot.gateway.update.internal.JournalEntry.Step;

public class UpdateJournalTest {
    @Rule
    public TemporaryFolder temporary = new TemporaryFolder();

    private static JournalEntry applying(String id) {
        return new JournalEntry("2026-12-07T10:00:00Z", id, Step.APPLYING, "rest 127.0.0.1", "wasmiot.gateway.probe",
                "0.1.0", "a".repeat(64), "0.1.0.update1", "b".repeat(64), "update", null);
    }

    @Test
    public void entriesComeBackAsWrittenAcrossInstances() throws Exception {
        Path file = temporary.getRoot().toPath().resolve("updates/journal.jsonl");
        UpdateJournal journal = new UpdateJournal(file, () -> Long.MAX_VALUE);
        journal.append(applying("u1"));
        journal.append(applying("u1").next("2026-12-07T10:00:31Z", Step.COMMITTED, null, 30_412L));
        List<JournalEntry> read = new UpdateJournal(file, () -> Long.MAX_VALUE).entries();
        assertEquals(2, read.size());
        assertEquals(applying("u1"), read.get(0));
        assertEquals(Step.COMMITTED, read.get(1).step());
        assertEquals(Long.valueOf(30_412L), read.get(1).decisionMillis());
        assertEquals("b".repeat(64), read.get(1).newSha256());
        assertFalse("nulls are left out", Files.readString(file).contains("null"));
    }

    @Test
    public void anUpdateWithoutAFinalStepIsInterruptedALineCutByAKillIsSkipped() throws Exception {
        Path file = temporary.getRoot().toPath().resolve("journal.jsonl");
        UpdateJournal journal = new UpdateJournal(file, () -> Long.MAX_VALUE);
        journal.append(applying("done"));
        journal.append(applying("done").next("t", Step.ROLLED_BACK, "the bundle is INSTALLED", 12L));
        journal.append(applying("killed"));
        Files.writeString(file, "{\"time\":\"2026-12-07T10:01:00Z\",\"upd", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<JournalEntry> interrupted = journal.interrupted();
        assertEquals(1, interrupted.size());
        assertEquals("killed", interrupted.get(0).update());
        assertEquals(3, journal.entries().size());
        journal.append(applying("killed").next("t2", Step.ROLLED_BACK, "interrupted", null));
        assertEquals("the entry after the cut line is a line of its own", 4, journal.entries().size());
        assertEquals(List.of(), journal.interrupted());
    }

    @Test
    public void noFileIsAnEmptyJournal() throws Exception {
        UpdateJournal journal = new UpdateJournal(temporary.getRoot().toPath().resolve("none/journal.jsonl"),
                () -> Long.MAX_VALUE);
        assertEquals(List.of(), journal.entries());
        assertEquals(List.of(), journal.interrupted());
    }

    @Test
    public void pastItsBoundTheOldestLinesAreDroppedToHalfAndARunningUpdateStays() throws Exception {
        Path file = temporary.getRoot().toPath().resolve("journal.jsonl");
        long bound = 4096;
        UpdateJournal journal = new UpdateJournal(file, () -> bound);
        for (int i = 0; i < 40; i++) {
            journal.append(applying("u" + i));
            journal.append(applying("u" + i).next("t", Step.COMMITTED, null, 5L));
            assertTrue("within the bound after each append: " + Files.size(file), Files.size(file) <= bound);
        }
        journal.append(applying("running"));
        List<JournalEntry> entries = journal.entries();
        assertTrue(entries.size() + " entries kept", entries.size() >= 4 && entries.size() < 80);
        assertEquals("running", entries.get(entries.size() - 1).update());
        assertEquals(List.of("running"), journal.interrupted().stream().map(JournalEntry::update).toList());
        assertEquals("the newest committed update kept", "u39", entries.get(entries.size() - 2).update());
        assertFalse("no copy left behind", Files.exists(file.resolveSibling("journal.jsonl.trimmed")));
    }
}
