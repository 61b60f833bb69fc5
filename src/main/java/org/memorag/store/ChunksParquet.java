package org.memorag.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.memorag.rag.artifact.ChunkRecord;

/**
 * {@code chunks.parquet}: one row per chunk (chunk_id, text, char_start, char_end, n_tokens),
 * written and read in memory with parquet-hadoop's example Group API, so the bytes can be
 * checksummed before they reach the store and Spark can read the file as a table.
 */
public final class ChunksParquet {
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message chunk {\n"
            + "  required int32 chunk_id;\n"
            + "  required binary text (STRING);\n"
            + "  required int32 char_start;\n"
            + "  required int32 char_end;\n"
            + "  required int32 n_tokens;\n"
            + "}");

    private ChunksParquet() {}

    public static byte[] toBytes(List<ChunkRecord> chunks) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new MemoryOutputFile(bytes))
                .withType(SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (ChunkRecord c : chunks) {
                w.write(rows.newGroup().append("chunk_id", c.chunkId()).append("text", c.text())
                        .append("char_start", c.charStart()).append("char_end", c.charEnd())
                        .append("n_tokens", c.nTokens()));
            }
        }
        return bytes.toByteArray();
    }

    /** Reads chunks written by {@link #toBytes}; {@code source} names the file in errors. */
    public static List<ChunkRecord> fromBytes(byte[] data, String source) throws IOException {
        List<ChunkRecord> out = new ArrayList<>();
        InputFile in = new MemoryInputFile(data);
        try (ParquetReader<Group> r = new ParquetReader.Builder<Group>(in) {
                    @Override
                    protected ReadSupport<Group> getReadSupport() {
                        return new GroupReadSupport();
                    }
                }.build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                out.add(new ChunkRecord(g.getInteger("chunk_id", 0), g.getString("text", 0),
                        g.getInteger("char_start", 0), g.getInteger("char_end", 0),
                        g.getInteger("n_tokens", 0)));
            }
        } catch (RuntimeException e) {
            throw new IOException(source + " is not a chunks table (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** A Parquet output file backed by a byte buffer. */
    private record MemoryOutputFile(ByteArrayOutputStream bytes) implements OutputFile {
        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return createOrOverwrite(blockSizeHint);
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            bytes.reset();
            return new DelegatingPositionOutputStream(bytes) {
                @Override
                public long getPos() {
                    return bytes.size();
                }
            };
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    /** A Parquet input file over a byte array. */
    private record MemoryInputFile(byte[] data) implements InputFile {
        @Override
        public long getLength() {
            return data.length;
        }

        @Override
        public SeekableInputStream newStream() {
            SeekableBytes s = new SeekableBytes(data);
            return new DelegatingSeekableInputStream(s) {
                @Override
                public long getPos() {
                    return s.position();
                }

                @Override
                public void seek(long pos) throws IOException {
                    if (pos < 0 || pos > data.length) {
                        throw new IOException("seek to " + pos + " outside 0.." + data.length);
                    }
                    s.seekTo((int) pos);
                }
            };
        }
    }

    /** ByteArrayInputStream with an exposed, settable position. */
    private static final class SeekableBytes extends ByteArrayInputStream {
        SeekableBytes(byte[] data) {
            super(data);
        }

        int position() {
            return pos;
        }

        void seekTo(int p) {
            pos = p;
        }
    }
}
