package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;

import java.lang.annotation.Annotation;

import org.junit.Test;
import org.slf4j.LoggerFactory;

public class RestSecretsTest {
    private static RestConfig config(int maxBodyBytes) {
        return new RestConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RestConfig.class;
            }

            @Override
            public String publicBaseUrl() {
                return "";
            }

            @Override
            public String _apiToken() {
                return "";
            }

            @Override
            public String[] registerAllowedNetworks() {
                return new String[0];
            }

            @Override
            public int maxBodyBytes() {
                return maxBodyBytes;
            }
        };
    }

    @Test
    public void theBodyBoundStaysWithinOneKibibyteAndSixteenMebibytes() {
        assertEquals(1024, RestSecrets.maxBodyBytes(config(0), LoggerFactory.getLogger(getClass())));
        assertEquals(16 << 20, RestSecrets.maxBodyBytes(config(Integer.MAX_VALUE), LoggerFactory.getLogger(getClass())));
        assertEquals(65536, RestSecrets.maxBodyBytes(config(65536), LoggerFactory.getLogger(getClass())));
    }
}
