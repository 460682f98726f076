package io.wasmiot.lib.json;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;

/**
 * Object mappers for hot-swapped bundles. Jackson's default type factory is a static of the Jackson
 * bundle with one cache for the whole JVM: a type resolved there (a {@code Device}, a
 * {@code List<StatusRow>}) keeps its bundle's class loader, and the API revision it is wired to,
 * reachable after an update or a refresh until other types push it out.
 */
public final class JsonMappers {
    private JsonMappers() {
    }

    /** {@code mapper}, given a type factory with a cache of its own (dropped with the mapper). */
    public static <M extends ObjectMapper> M withOwnTypeCache(M mapper) {
        mapper.setTypeFactory(TypeFactory.defaultInstance().withCache(new LRUMap<Object, JavaType>(16, 200)));
        return mapper;
    }
}
