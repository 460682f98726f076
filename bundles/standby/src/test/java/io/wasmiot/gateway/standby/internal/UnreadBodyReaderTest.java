package io.wasmiot.gateway.standby.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

public class UnreadBodyReaderTest {
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
        assertEquals((8 << 20) - 1000, UnreadBodyReader.drop(body, 32 << 20, Duration.ofSeconds(10)));
        assertEquals(0, body.available());
        assertEquals("a body read to its end drops nothing", 0, UnreadBodyReader.drop(body, 32 << 20, Duration.ofSeconds(10)));
    }

    @Test
    public void readingStopsPastTheByteBound() throws IOException {
        EndlessBody body = new EndlessBody(0);
        assertEquals(-1, UnreadBodyReader.drop(body, 1 << 20, Duration.ofSeconds(10)));
        assertTrue("read " + body.read.get(), body.read.get() > 1 << 20 && body.read.get() <= (1 << 20) + 16 * 1024);
    }

    @Test
    public void readingStopsPastTheTimeBound() throws IOException {
        EndlessBody body = new EndlessBody(5);
        long start = System.nanoTime();
        assertEquals(-1, UnreadBodyReader.drop(body, Long.MAX_VALUE, Duration.ofMillis(100)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("took " + tookMillis + " ms", tookMillis >= 100 && tookMillis < 5_000);
    }

    /** A request with {@code body} as its input and {@code expect} as its {@code Expect} header. */
    private static HttpServletRequest withBody(ByteArrayInputStream body, String expect) {
        HttpServletRequest plain = StandbyServletTest.request("POST", "/gateway/updates", body.available(), null);
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() {
                return body.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return body.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                return body.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        return (HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(UnreadBodyReaderTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getInputStream" -> in;
                    case "isAsyncStarted" -> false;
                    case "getHeader" -> "Expect".equalsIgnoreCase((String) args[0]) ? expect : m.invoke(plain, args);
                    default -> m.invoke(plain, args);
                });
    }

    @Test
    public void aBodyTheAnswerLeftUnreadIsReadToItsEndAfterTheAnswer() throws Exception {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[1 << 20]);
        java.util.List<Integer> leftWhenAnswered = new java.util.ArrayList<>();
        new UnreadBodyReader().doFilter(withBody(body, null), StandbyServletTest.response(new java.util.HashMap<>(),
                new java.io.ByteArrayOutputStream()), (request, response) -> leftWhenAnswered.add(body.available()));
        assertEquals("the servlet answered first, with the body unread", java.util.List.of(1 << 20), leftWhenAnswered);
        assertEquals(0, body.available());
    }

    @Test
    public void aBodyAClientSendsOnlyAfter100ContinueIsNotAskedFor() throws Exception {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[1000]);
        new UnreadBodyReader().doFilter(withBody(body, "100-continue"), StandbyServletTest.response(new java.util.HashMap<>(),
                new java.io.ByteArrayOutputStream()), (request, response) -> { });
        assertEquals("reading would make Jetty ask for a body nobody wants", 1000, body.available());
    }
}
