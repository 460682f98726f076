package io.wasmiot.gateway.update.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.lib.json.JsonMappers;

/** The JSON of the journal and the REST answers: absent values left out, unknown keys of a newer journal ignored. */
final class UpdateJson {
    private UpdateJson() {
    }

    static ObjectMapper mapper() {
        return JsonMappers.withOwnTypeCache(new ObjectMapper())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
