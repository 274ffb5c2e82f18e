package io.uploadguard.benchmarks.enforcer;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Object bodies: real PNG magic, or an HTML page (the classic lie: HTML declared as image/png). */
final class Fixtures {

    private static final byte[] PNG_HEADER = {
        (byte) 0x89,
        'P',
        'N',
        'G',
        '\r',
        '\n',
        0x1a,
        '\n',
        0,
        0,
        0,
        13,
        'I',
        'H',
        'D',
        'R',
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        1,
        8,
        6,
        0,
        0,
        0,
        0x1f,
        0x15,
        (byte) 0xc4,
        (byte) 0x89
    };

    private Fixtures() {}

    /** A size a little above the 8 KiB the enforcer reads, different for each index (about 10 KB). */
    static int smallSize(int index) {
        return 8 * 1024 + 1024 + (int) ((index * 2654435761L) % 2048);
    }

    static byte[] png(int size) {
        byte[] bytes = new byte[size];
        System.arraycopy(PNG_HEADER, 0, bytes, 0, Math.min(size, PNG_HEADER.length));
        for (int i = PNG_HEADER.length; i < size; i++) {
            bytes[i] = (byte) (i * 7);
        }
        return bytes;
    }

    static byte[] html(int size) {
        byte[] page = "<!DOCTYPE html><html><head><script>alert(document.cookie)</script></head><body>"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        System.arraycopy(page, 0, bytes, 0, Math.min(page.length, size));
        return bytes;
    }

    /**
     * A PNG of {@code size} bytes generated as it is read: the harness never holds the object, so a
     * 1 GiB upload costs it a 64 KiB buffer.
     */
    static InputStream streamingPng(long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    long p = position + i;
                    b[off + i] = p < PNG_HEADER.length ? PNG_HEADER[(int) p] : (byte) (p * 7);
                }
                position += n;
                return n;
            }
        };
    }
}
