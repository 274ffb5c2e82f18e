package io.uploadguard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Refuses a request body over {@link HttpLimits#maxRequestBytes()} with 413 {@code
 * payload_too_large} before it is read: by {@code Content-Length} when the client declares one,
 * and, for a chunked body, by counting while the application reads and stopping at the limit. A
 * client can therefore not make a service hold more than the limit of its body in memory.
 */
class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;
    private final ObjectMapper json;

    RequestBodyLimit(HttpLimits limits, ObjectMapper json) {
        this.maxBytes = limits.maxRequestBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            ApiException refusal = tooLarge();
            response.setStatus(refusal.status());
            // the body stays unread: tell the client the connection ends here
            response.setHeader("Connection", "close");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), refusal.body());
            response.flushBuffer();
            return;
        }
        chain.doFilter(new Bounded(request), response);
    }

    ApiException tooLarge() {
        return ApiException.of(
                413,
                "payload_too_large",
                "the request body is larger than " + maxBytes + " bytes; this API takes small JSON");
    }

    /** The request with a body that throws {@link ApiException} (413) once more than the limit is read. */
    private final class Bounded extends HttpServletRequestWrapper {

        private ServletInputStream stream;
        private BufferedReader reader;

        Bounded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }
    }

    private final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private long read;

        Counting(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // never ask for more than one byte past the limit, so a refused body is never buffered whole
            int n = in.read(buffer, offset, (int) Math.min(length, maxBytes + 1 - read));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > maxBytes) {
                throw tooLarge();
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
