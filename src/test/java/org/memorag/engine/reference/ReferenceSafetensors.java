package org.memorag.engine.reference;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal safetensors reader for the references (F32, F16, BF16 to double), independent of the
 * engine's reader so that a bug there cannot hide in both. Whole file on the heap: tiny models.
 */
final class ReferenceSafetensors {
    private ReferenceSafetensors() {}

    static Map<String, double[]> read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = buf.getLong(0);
        String header = new String(buf.array(), 8, (int) headerLen, StandardCharsets.UTF_8);
        JsonObject h = JsonParser.parseString(header).getAsJsonObject();
        int base = 8 + (int) headerLen;
        Map<String, double[]> out = new HashMap<>();
        for (String name : h.keySet()) {
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonObject t = h.getAsJsonObject(name);
            String dtype = t.get("dtype").getAsString();
            int begin = t.getAsJsonArray("data_offsets").get(0).getAsInt();
            int end = t.getAsJsonArray("data_offsets").get(1).getAsInt();
            int size = dtype.equals("F32") ? 4 : 2;
            double[] v = new double[(end - begin) / size];
            for (int i = 0; i < v.length; i++) {
                int at = base + begin + i * size;
                v[i] = switch (dtype) {
                    case "F32" -> buf.getFloat(at);
                    case "BF16" -> Float.intBitsToFloat((buf.getShort(at) & 0xFFFF) << 16);
                    case "F16" -> half(buf.getShort(at));
                    default -> throw new IOException(file + ": tensor '" + name
                            + "' has dtype " + dtype + "; the reference reads F32, F16, BF16");
                };
            }
            out.put(name, v);
        }
        return out;
    }

    private static double half(short bits) {
        int sign = (bits >> 15) & 1;
        int exp = (bits >> 10) & 0x1F;
        int mant = bits & 0x3FF;
        double v = exp == 0 ? mant * Math.pow(2, -24)
                : exp == 31 ? (mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : (1 + mant / 1024.0) * Math.pow(2, exp - 15);
        return sign == 1 ? -v : v;
    }
}
