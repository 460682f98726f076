package io.wasmiot.agent.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The reference supervisor's register body (docs/contract.md §6). */
final class RegisterBody {
    private RegisterBody() {
    }

    static byte[] of(ObjectMapper mapper, String name, int port, String address) {
        ObjectNode body = mapper.createObjectNode();
        body.put("name", name);
        body.put("type", "webthing");
        body.put("port", port);
        body.putObject("properties").put("path", "/").put("tls", "0").put("address", address);
        body.putArray("addresses").add(address);
        body.put("host", address);
        body.put("protocol", "http");
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a register body", e);
        }
    }
}
