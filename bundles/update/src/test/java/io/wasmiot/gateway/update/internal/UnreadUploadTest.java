package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class UnreadUploadTest {
    /** A body that never ends, counting what was read of it; each read waits {@code pauseMillis}. */
    static final class EndlessBody extends InputStream {
        final AtomicLong read = new AtomicLong();
        private final long pauseMillis;

        EndlessBody(long pauseMillis) {
            this.pauseMillis = pauseMillis;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            read.addAndGet(length);
            return length;
        }
    }

    @Test
    public void theWholeRestOfABodyIsReadAndItsSizeReturned() throws IOException {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[8 << 20]);
        body.skip(1000); // what the refusal had read
        assertEquals((8 << 20) - 1000, UnreadUpload.drop(body, 32 << 20, Duration.ofSeconds(10)));
        assertEquals(0, body.available());
        assertEquals("a body read to its end drops nothing", 0, UnreadUpload.drop(body, 32 << 20, Duration.ofSeconds(10)));
    }

    @Test
    public void readingStopsPastTheByteBound() throws IOException {
        EndlessBody body = new EndlessBody(0);
        assertEquals(-1, UnreadUpload.drop(body, 1 << 20, Duration.ofSeconds(10)));
        assertTrue("read " + body.read.get(), body.read.get() > 1 << 20 && body.read.get() <= (1 << 20) + 16 * 1024);
    }

    @Test
    public void readingStopsPastTheTimeBound() throws IOException {
        EndlessBody body = new EndlessBody(5);
        long start = System.nanoTime();
        assertEquals(-1, UnreadUpload.drop(body, Long.MAX_VALUE, Duration.ofMillis(100)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("took " + tookMillis + " ms", tookMillis >= 100 && tookMillis < 5_000);
    }
}
