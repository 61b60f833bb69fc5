package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.memorag.engine.tensor.SafetensorsFile;
import org.memorag.engine.tensor.TensorInfo;

/**
 * A Hugging Face model folder: config.json plus model.safetensors or the shards listed in
 * model.safetensors.index.json. Weights are handed out only through {@link #tensor}, which checks
 * name, shape and dtype and names the file on any mismatch; {@link #checkAllUsed} then reports
 * tensors the architecture did not ask for. Not thread-safe; close after loading.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final Path dir;
    private final byte[] configBytes;
    private final JsonObject config;
    private final Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
    private final List<SafetensorsFile> files = new ArrayList<>();
    private final Set<String> used = new HashSet<>();

    private Checkpoint(Path dir, byte[] configBytes, JsonObject config) {
        this.dir = dir;
        this.configBytes = configBytes;
        this.config = config;
    }

    /** Opens {@code dir}: reads config.json and every safetensors header (no weights yet). */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir,
                    "model folder does not exist (expected a Hugging Face"
                    + " folder with config.json and model.safetensors)");
        }
        Path cfg = dir.resolve(CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new CheckpointException(cfg,
                    "missing; a Hugging Face model folder needs config.json");
        }
        byte[] bytes;
        JsonObject json;
        try {
            bytes = Files.readAllBytes(cfg);
            String text = new String(bytes, StandardCharsets.UTF_8);
            json = JsonParser.parseString(text).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(cfg, "cannot read as a JSON object: " + e.getMessage(),
                    e);
        }
        Checkpoint c = new Checkpoint(dir, bytes, json);
        try {
            c.openWeights();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void openWeights() {
        Path index = dir.resolve(INDEX);
        Path single = dir.resolve(SINGLE);
        if (Files.isRegularFile(index)) {
            JsonObject map;
            try {
                map = JsonParser.parseString(Files.readString(index)).getAsJsonObject()
                        .getAsJsonObject("weight_map");
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(index, "cannot read weight_map: " + e.getMessage(),
                        e);
            }
            if (map == null) {
                throw new CheckpointException(index, "has no \"weight_map\" object");
            }
            Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                String shard = e.getValue().getAsString();
                SafetensorsFile f = shards.computeIfAbsent(shard,
                        s -> openFile(dir.resolve(s), index));
                if (!f.tensors().containsKey(e.getKey())) {
                    throw new CheckpointException(f.path(), "tensor '" + e.getKey()
                            + "' is listed in "
                            + INDEX + " but not stored in this shard");
                }
                fileOf.put(e.getKey(), f);
            }
        } else if (Files.isRegularFile(single)) {
            SafetensorsFile f = openFile(single, null);
            f.tensors().keySet().forEach(n -> fileOf.put(n, f));
        } else {
            throw new CheckpointException(dir, "no " + SINGLE + " and no " + INDEX
                    + " (only safetensors weights are supported, not pytorch_model.bin)");
        }
    }

    private SafetensorsFile openFile(Path file, Path listedIn) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "missing" + (listedIn == null ? ""
                    : " (listed in " + listedIn.getFileName() + ")"));
        }
        try {
            SafetensorsFile f = SafetensorsFile.open(file);
            files.add(f);
            return f;
        } catch (IOException e) {
            throw new CheckpointException(file, "unreadable safetensors: " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve(CONFIG);
    }

    /** The parsed config.json (a copy). */
    public JsonObject config() {
        return config.deepCopy();
    }

    public boolean has(String name) {
        return fileOf.containsKey(name);
    }

    /** Header entry of {@code name}, or null. */
    public TensorInfo info(String name) {
        SafetensorsFile f = fileOf.get(name);
        return f == null ? null : f.tensors().get(name);
    }

    /** The file that holds {@code name} (or the folder when no file does). */
    public Path fileOf(String name) {
        SafetensorsFile f = fileOf.get(name);
        return f == null ? dir : f.path();
    }

    /**
     * Loads {@code name}, which must have exactly {@code shape}, into {@code manager} as
     * {@code dtype}. {@code why} explains the expected shape in terms of config.json keys.
     */
    public NDArray tensor(NDManager manager, DataType dtype, String name, String why,
            long... shape) {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            throw new CheckpointException(files.isEmpty() ? dir : files.get(0).path(),
                    "missing tensor '" + name + "' (" + config.get("model_type") + " expects it;"
                            + " is the checkpoint complete and of the model_type config.json"
                            + " says?)");
        }
        TensorInfo info = f.tensors().get(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new CheckpointException(f.path(), "tensor '" + name + "' has shape "
                    + info.shapeString() + "; config.json implies " + Arrays.toString(shape)
                    + (why.isEmpty() ? "" : " (" + why + ")")
                    + ". Are config.json and the weights from the same model?");
        }
        try {
            NDArray a = f.load(manager, name, dtype);
            used.add(name);
            return a;
        } catch (IOException e) {
            throw new CheckpointException(f.path(), e.getMessage().replace(f.path() + ": ", ""), e);
        }
    }

    /**
     * Fails on any tensor no {@link #tensor} call asked for, except names {@code ignorable}
     * accepts (e.g. rotary inv_freq buffers some exporters save).
     */
    public void checkAllUsed(java.util.function.Predicate<String> ignorable) {
        List<String> extra = new ArrayList<>();
        for (String n : fileOf.keySet()) {
            if (!used.contains(n) && !ignorable.test(n)) {
                extra.add(n);
            }
        }
        if (!extra.isEmpty()) {
            String first = extra.get(0);
            throw new CheckpointException(fileOf(first), "unexpected tensor"
                    + (extra.size() > 1 ? "s " : " ")
                    + extra.subList(0, Math.min(5, extra.size())) + (extra.size() > 5 ? " and "
                    + (extra.size() - 5) + " more" : "") + " not used by model_type "
                    + config.get("model_type") + "; is config.json from the same model?");
        }
    }

    /**
     * sha256 over config.json, every tensor's name, dtype and shape, and the first and last MiB of
     * each weights file's data (so fine-tunes of one architecture differ): 16 hex digits.
     */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(configBytes);
            for (Map.Entry<String, SafetensorsFile> e : new TreeMap<>(fileOf).entrySet()) {
                TensorInfo t = e.getValue().tensors().get(e.getKey());
                md.update((t.name() + "|" + t.dtype() + "|" + t.shapeString() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            List<SafetensorsFile> sorted = new ArrayList<>(files);
            sorted.sort(java.util.Comparator.comparing(f -> f.path().getFileName().toString()));
            for (SafetensorsFile f : sorted) {
                md.update(f.sample(1 << 20));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot read weights for the fingerprint: "
                    + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                // closing a read-only channel: nothing was written, nothing to recover
            }
        }
        files.clear();
    }
}
