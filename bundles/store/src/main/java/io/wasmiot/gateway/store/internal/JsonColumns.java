package io.wasmiot.gateway.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.StatusChange;

import io.wasmiot.lib.json.JsonMappers;

/** List-valued columns are JSON text, portable across H2 and PostgreSQL. */
final class JsonColumns {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<StatusRow>> STATUS_ROWS = new TypeReference<>() { };

    private final ObjectMapper mapper = JsonMappers.withOwnTypeCache(new ObjectMapper());

    /** The column shape of one status log entry. */
    record StatusRow(String status, long time, String reason) {
    }

    String writeAddresses(List<String> addresses) {
        return write(addresses);
    }

    List<String> readAddresses(String json) {
        return read(json, STRINGS);
    }

    String writeStatusLog(List<StatusChange> log) {
        List<StatusRow> rows = new ArrayList<>(log.size());
        for (StatusChange change : log) {
            rows.add(new StatusRow(change.status().wireName(), change.time().toEpochMilli(), change.reason()));
        }
        return write(rows);
    }

    List<StatusChange> readStatusLog(String json) {
        List<StatusChange> log = new ArrayList<>();
        for (StatusRow row : read(json, STATUS_ROWS)) {
            log.add(new StatusChange(DeviceStatus.fromWireName(row.status()), Instant.ofEpochMilli(row.time()),
                    row.reason()));
        }
        return log;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt JSON column: " + e.getMessage(), e);
        }
    }
}
