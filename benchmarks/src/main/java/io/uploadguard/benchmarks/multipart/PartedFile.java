package io.uploadguard.benchmarks.multipart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file cut into parts of one size (the last one the rest), each read when it is sent. */
record PartedFile(Path path, long size, long partSize) {

    static PartedFile of(Path path, long partSize) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return new PartedFile(path, channel.size(), partSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int partCount() {
        return (int) ((size + partSize - 1) / partSize);
    }

    long partLength(int partNumber) {
        long start = (partNumber - 1) * partSize;
        return Math.min(partSize, size - start);
    }

    /** The bytes of part {@code partNumber} (1-based). */
    byte[] read(int partNumber) {
        byte[] bytes = new byte[(int) partLength(partNumber)];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = (partNumber - 1) * partSize;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + buffer.position());
                if (read < 0) {
                    throw new IllegalStateException(path + " is shorter than " + size + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }
}
