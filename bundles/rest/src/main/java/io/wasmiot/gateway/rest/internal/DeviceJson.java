package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.model.StatusChange;

/**
 * Writes device documents in the reference orchestrator's shape (docs/contract.md §7). The description and
 * health report are JSON the prober already validated: they are written back verbatim.
 */
final class DeviceJson {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private final JsonFactory factory;

    DeviceJson(JsonFactory factory) {
        this.factory = factory;
    }

    void writeList(List<Device> devices, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartArray();
            for (Device device : devices) {
                write(device, json);
            }
            json.writeEndArray();
        }
    }

    void writeOne(Device device, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            write(device, json);
        }
    }

    private static void write(Device device, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("_id", device.id());
        json.writeStringField("name", device.name());

        Communication communication = device.communication();
        json.writeObjectFieldStart("communication");
        json.writeArrayFieldStart("addresses");
        for (String address : communication.addresses()) {
            json.writeString(address);
        }
        json.writeEndArray();
        json.writeNumberField("port", communication.port());
        if (communication.tls()) {
            json.writeBooleanField("tls", true);
        }
        json.writeEndObject();

        json.writeFieldName("description");
        json.writeRawValue(device.description());
        json.writeStringField("status", device.status().wireName());
        json.writeNumberField("failedHealthCheckCount", device.failedHealthCheckCount());
        json.writeNumberField("okHealthCheckCount", device.okHealthCheckCount());

        json.writeArrayFieldStart("statusLog");
        for (StatusChange change : device.statusLog()) {
            json.writeStartObject();
            json.writeStringField("status", change.status().wireName());
            json.writeStringField("time", time(change.time()));
            if (change.reason() != null) {
                json.writeStringField("reason", change.reason());
            }
            json.writeEndObject();
        }
        json.writeEndArray();

        Health health = device.health();
        if (health != null) {
            json.writeObjectFieldStart("health");
            json.writeFieldName("report");
            if (health.report() == null) {
                json.writeNull();
            } else {
                json.writeRawValue(health.report());
            }
            json.writeStringField("timeOfQuery", time(health.timeOfQuery()));
            json.writeEndObject();
        }
        if (device.blacklisted()) {
            json.writeBooleanField("blacklisted", true);
        }
        json.writeStringField("source", device.source());
        json.writeStringField("lastSeen", time(device.lastSeen()));
        json.writeEndObject();
    }

    /** ISO-8601 UTC with milliseconds, as JavaScript's {@code Date.toISOString()} writes it. */
    static String time(Instant instant) {
        return ISO_MILLIS.format(instant);
    }
}
