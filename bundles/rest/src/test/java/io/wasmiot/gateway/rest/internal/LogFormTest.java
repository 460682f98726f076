package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class LogFormTest {
    /** What the reference Python supervisor's logger posts (requests.post(url, data={'logData': ...})). */
    static final String LINE = "{\"timestamp\": \"2026-11-25 10:00:00,123\", \"loglevel\": \"INFO\", "
            + "\"message\": \"Deployment 'x' done: 100 % & more\", \"funcName\": \"deploy\", "
            + "\"deviceName\": \"pi4-kitchen\", \"deviceIP\": \"127.0.1.1\"}";

    static String urlencoded(String field, String value) {
        return URLEncoder.encode(field, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String field(String contentType, String body) throws JsonBodies.Refused {
        return new String(LogForm.logData(contentType, body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    public void theUrlencodedFieldAsPythonRequestsSendsIt() throws Exception {
        assertEquals(LINE, field("application/x-www-form-urlencoded", urlencoded("logData", LINE)));
        assertEquals("among other fields, the first logData", LINE, field("application/x-www-form-urlencoded; charset=UTF-8",
                "a=1&" + urlencoded("logData", LINE) + "&logData=second&b"));
        assertEquals("", field("application/x-www-form-urlencoded", "x=1&logData"));
        assertEquals("non-ASCII as UTF-8 bytes", "{\"m\":\"Grüße\"}",
                field("application/x-www-form-urlencoded", urlencoded("logData", "{\"m\":\"Grüße\"}")));
    }

    @Test
    public void theMultipartField() throws Exception {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nignored\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"logData\"\r\nContent-Type: application/json\r\n\r\n"
                + LINE + "\r\n--XyZ--\r\n";
        assertEquals(LINE, field("multipart/form-data; boundary=XyZ", body));
        assertEquals(LINE, field("multipart/form-data; boundary=\"XyZ\"", body));
    }

    @Test
    public void malformedFormsAndMissingFieldsAre400s() {
        for (String[] bad : new String[][] {
                {"application/x-www-form-urlencoded", "other=1"},
                {"application/x-www-form-urlencoded", ""},
                {"application/x-www-form-urlencoded", "logData=%7"},
                {"application/x-www-form-urlencoded", "logData=%zz"},
                {"multipart/form-data", "--x\r\n\r\n"},
                {"multipart/form-data; boundary=x", "no boundary here"},
                {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"logData\"\r\n\r\nunclosed"},
                {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--"}}) {
            JsonBodies.Refused refused = assertThrows(bad[0] + " " + bad[1], JsonBodies.Refused.class,
                    () -> field(bad[0], bad[1]));
            assertEquals(400, refused.status);
        }
    }

    @Test
    public void onlyFormsAreTaken() {
        assertTrue(LogForm.isForm("application/x-www-form-urlencoded"));
        assertTrue(LogForm.isForm("Multipart/Form-Data; boundary=a"));
        assertFalse(LogForm.isForm("application/json"));
        assertFalse(LogForm.isForm(null));
        assertFalse(LogForm.isForm("text/plain"));
    }
}
