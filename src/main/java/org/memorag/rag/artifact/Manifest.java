package org.memorag.rag.artifact;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code manifest.json} of one committed artifact version (DESIGN.md §5): who the document is,
 * which models and settings made it, its counts, and the size and SHA-256 of every file. JSON in
 * and out, no I/O. Loading refuses another format version and names the missing field.
 */
public record Manifest(int formatVersion, String docId, String textSha256,
        String modelsFingerprint, String language, String memoryMode, Map<String, String> models,
        Map<String, String> settings, Map<String, String> memory, long nChars, long nTokens,
        int nChunks, long memorizeMs, Map<String, FileEntry> files) {

    /** The artifact format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .create();

    public Manifest {
        Objects.requireNonNull(docId, "doc_id");
        Objects.requireNonNull(textSha256, "text_sha256");
        Objects.requireNonNull(modelsFingerprint, "models_fingerprint");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(memoryMode, "memory_mode");
        models = Map.copyOf(new TreeMap<>(models));
        settings = Map.copyOf(new TreeMap<>(settings));
        memory = Map.copyOf(new TreeMap<>(memory));
        files = Map.copyOf(new TreeMap<>(files));
    }

    /** The version folder name: {@code <text sha256[:16]>-<models fingerprint>}. */
    public String version() {
        return DocArtifacts.version(textSha256, modelsFingerprint);
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format_version", formatVersion);
        o.addProperty("doc_id", docId);
        o.addProperty("text_sha256", textSha256);
        o.addProperty("version", version());
        o.addProperty("models_fingerprint", modelsFingerprint);
        o.addProperty("language", language);
        o.addProperty("memory_mode", memoryMode);
        o.add("models", GSON.toJsonTree(new TreeMap<>(models)));
        o.add("settings", GSON.toJsonTree(new TreeMap<>(settings)));
        o.add("memory", GSON.toJsonTree(new TreeMap<>(memory)));
        o.addProperty("n_chars", nChars);
        o.addProperty("n_tokens", nTokens);
        o.addProperty("n_chunks", nChunks);
        o.addProperty("memorize_ms", memorizeMs);
        JsonObject f = new JsonObject();
        new TreeMap<>(files).forEach((name, e) -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("size", e.size());
            entry.addProperty("sha256", e.sha256());
            f.add(name, entry);
        });
        o.add("files", f);
        return GSON.toJson(o) + "\n";
    }

    /** Parses manifest JSON read from {@code source} (a path, for messages). */
    public static Manifest fromJson(String json, String source) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(source + " is not a JSON object: " + e.getMessage()
                    + "; the artifact is corrupt, memorize the document again", e);
        }
        int format = field(o, "format_version", source).getAsInt();
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException(source + " has format_version " + format
                    + "; this build reads " + FORMAT_VERSION + ". Memorize the document again"
                    + " with this build");
        }
        try {
            Map<String, FileEntry> files = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e :
                    field(o, "files", source).getAsJsonObject().entrySet()) {
                JsonObject fe = e.getValue().getAsJsonObject();
                files.put(e.getKey(), new FileEntry(field(fe, "size", source).getAsLong(),
                        field(fe, "sha256", source).getAsString()));
            }
            return new Manifest(format, field(o, "doc_id", source).getAsString(),
                    field(o, "text_sha256", source).getAsString(),
                    field(o, "models_fingerprint", source).getAsString(),
                    field(o, "language", source).getAsString(),
                    field(o, "memory_mode", source).getAsString(),
                    strings(field(o, "models", source)), strings(field(o, "settings", source)),
                    strings(field(o, "memory", source)), field(o, "n_chars", source).getAsLong(),
                    field(o, "n_tokens", source).getAsLong(),
                    field(o, "n_chunks", source).getAsInt(),
                    field(o, "memorize_ms", source).getAsLong(), files);
        } catch (IllegalStateException | UnsupportedOperationException
                | NumberFormatException e) {
            throw new IllegalArgumentException(source + " has a field of the wrong type: "
                    + e.getMessage() + "; the artifact is corrupt, memorize the document again",
                    e);
        }
    }

    private static JsonElement field(JsonObject o, String name, String source) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException(source + " lacks the field '" + name
                    + "'; the artifact is corrupt or from another tool, memorize it again");
        }
        return e;
    }

    private static Map<String, String> strings(JsonElement e) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> x : e.getAsJsonObject().entrySet()) {
            m.put(x.getKey(), x.getValue().getAsString());
        }
        return m;
    }
}
