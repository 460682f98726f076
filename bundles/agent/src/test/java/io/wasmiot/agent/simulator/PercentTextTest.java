package io.wasmiot.agent.simulator;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class PercentTextTest {
    @Test
    public void decodesEscapesAndKeepsEverythingElse() {
        assertEquals("a b\r\nc+d", PercentText.decodeText("a%20b%0D%0Ac+d"));
        assertEquals("設備-ü", PercentText.decodeText("設備-ü"));
        assertEquals("\"q'", PercentText.decodeText("%22q%27"));
    }

    @Test
    public void carriesInvalidUtf8AsRawBytes() {
        assertArrayEquals(new byte[] {'x', (byte) 0xff, (byte) 0xc3}, PercentText.decode("x%FF%c3"));
    }

    @Test
    public void refusesABrokenEscape() {
        assertThrows(IllegalArgumentException.class, () -> PercentText.decode("50%"));
        assertThrows(IllegalArgumentException.class, () -> PercentText.decode("%G0"));
    }

    @Test
    public void encodesSoThatDecodingGivesTheTextBack() {
        String odd = "dots.in name \"quoted\" 設備 \n%+";
        String word = PercentText.encode(odd);
        assertEquals(-1, word.indexOf(' '));
        assertEquals(odd, PercentText.decodeText(word));
        assertEquals(odd, new String(PercentText.decode(word), StandardCharsets.UTF_8));
    }
}
