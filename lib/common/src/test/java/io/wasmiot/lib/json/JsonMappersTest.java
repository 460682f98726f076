package io.wasmiot.lib.json;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;

public class JsonMappersTest {
    record Point(int x, int y) {
    }

    @Test
    public void theMapperResolvesTypesInACacheOfItsOwnAndStillWorks() throws Exception {
        ObjectMapper mapper = JsonMappers.withOwnTypeCache(new ObjectMapper());
        assertNotSame(TypeFactory.defaultInstance(), mapper.getTypeFactory());
        assertNotSame(JsonMappers.withOwnTypeCache(new ObjectMapper()).getTypeFactory(), mapper.getTypeFactory());
        assertEquals("{\"x\":1,\"y\":2}", mapper.writeValueAsString(new Point(1, 2)));
        assertEquals(new Point(3, 4), mapper.readValue("{\"x\":3,\"y\":4}", Point.class));
        assertEquals(List.of(Map.of("a", 1)), mapper.readValue("[{\"a\":1}]", List.class));
    }
}
