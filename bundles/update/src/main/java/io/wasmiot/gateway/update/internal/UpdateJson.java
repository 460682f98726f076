package io.wasmiot.gateway.update.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;

/** The JSON of the journal and the REST answers: absent values left out, unknown keys of a newer journal ignored. */
final class UpdateJson {
    private UpdateJson() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper()
                // A type cache of its own: Jackson's shared one would keep this bundle's classes, and so
                // the class loader of a revision an update replaced, until other types push them out.
                .setTypeFactory(TypeFactory.defaultInstance().withCache(new LRUMap<Object, JavaType>(16, 64)))
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
