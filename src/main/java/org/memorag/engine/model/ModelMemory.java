package org.memorag.engine.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * What a memory model keeps after reading a document: the plain KV cache of every token
 * ({@code longllm}) or the compressed beacon KV (BEACON_SPEC.md §2.10). Owns native memory:
 * close it when done. Generating over a memory never changes it, so one memory serves many
 * questions, each starting from exactly the memorized state.
 */
public interface ModelMemory extends AutoCloseable {
    /** "kv" for a plain decoder cache, "beacon" for activation-beacon memory. */
    String kind();

    /** Raw input tokens read into this memory. */
    int inputTokens();

    /** Key/value positions kept per layer (equals {@link #inputTokens()} for "kv"). */
    int slots();

    /** Bytes of the key/value tensors as stored (what {@link #writeTo} writes, roughly). */
    long bytes();

    /** Facts a person or the manifest wants: mode, ratio, token counts, dtype, model fingerprint. */
    Map<String, String> metadata();

    /** Writes the memory as one safetensors file (tensors + string metadata); never pickle. */
    void writeTo(OutputStream out) throws IOException;

    @Override
    void close();
}
