package io.wasmiot.gateway.probe.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.wasmiot.lib.json.JsonMappers;

/** The JSON devices send and are sent: read within limits, written back compact. Thread safe. */
final class DeviceJson {
    /** Deeper than any real description; deep enough nesting is a cheap way to burn a parser's stack. */
    private static final int MAX_JSON_NESTING = 64;

    private final ObjectMapper mapper;

    /** @param settings the body limits: no string, name or document longer than the largest body */
    DeviceJson(ProbeSettings settings) {
        int largestBody = Math.max(settings.maxDescriptionBytes(), settings.maxHealthBytes());
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_JSON_NESTING)
                        .maxStringLength(largestBody)
                        .maxNameLength(largestBody)
                        .maxDocumentLength(largestBody)
                        .build())
                .build();
        this.mapper = JsonMappers.withOwnTypeCache(JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Numbers written back exactly as sent (no double rounding, 1.0 stays 1.0).
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build());
    }

    /** The body of {@code POST /register}: {@code {"url": gatewayUrl}}. */
    byte[] registerBody(String gatewayUrl) throws JsonProcessingException {
        return mapper.writeValueAsBytes(mapper.createObjectNode().put("url", gatewayUrl));
    }

    /** The body as compact JSON re-written from the parsed tree, so it can be embedded raw; unknown fields kept. */
    String compactObject(byte[] body) throws InvalidBodyException {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidBodyException("JSON beyond limits (" + DeviceUrls.printable(e.getOriginalMessage()) + ")");
        } catch (JsonProcessingException e) {
            throw new InvalidBodyException("not JSON (" + DeviceUrls.printable(String.valueOf(e.getOriginalMessage())) + ")");
        } catch (IOException e) {
            throw new InvalidBodyException("not JSON (" + DeviceUrls.printable(String.valueOf(e.getMessage())) + ")");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidBodyException("empty body");
        }
        if (!tree.isObject()) {
            throw new InvalidBodyException("JSON " + tree.getNodeType().name().toLowerCase() + ", not an object");
        }
        try {
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new InvalidBodyException("cannot re-write JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** A body that is not what the endpoint should answer; the message is the reason. */
    static final class InvalidBodyException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidBodyException(String reason) {
            super(reason, null, false, false);
        }
    }
}
