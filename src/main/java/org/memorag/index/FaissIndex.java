package org.memorag.index;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A FAISS vector index in native memory, owned by this object: build it with {@link #create}
 * (any FAISS {@code index_factory} string: "Flat", "IVF16,Flat", "HNSW32", ...) or
 * {@link #fromBytes}, fill it with {@link #train} and {@link #add}, query it with the batched
 * {@link #search}, and free it with {@link #close()} (a Cleaner frees it if you forget, late).
 *
 * <p>Ids are the insertion order: the i-th vector ever added (since the last {@link #reset()}) has
 * id i. Vectors are rows of {@code dimension()} floats, given as {@code float[][]} or row-major
 * flat {@code float[]} with a row count.
 *
 * <p>Thread safety: searches (and the read-only getters, {@link #toBytes()}) may run
 * concurrently from many threads, as FAISS search is const. {@link #train}, {@link #add},
 * {@link #reset()}, {@link #setParameter} and {@link #close()} wait for in-flight calls and
 * run alone. Each FAISS call may use OpenMP/BLAS threads; set {@code OMP_NUM_THREADS=1} on
 * executors whose task slots already use every core.
 */
public final class FaissIndex implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Largest Java array: results of n queries times k must fit in one. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int dimension;
    private final Metric metric;
    private final String description;

    /** Owns the faiss::Index*; run() frees it exactly once (close() or the Cleaner). */
    private static final class NativeHandle implements Runnable {
        private long address;

        NativeHandle(long address) {
            this.address = address;
        }

        @Override
        public synchronized void run() {
            long a = address;
            address = 0;
            if (a != 0) {
                FaissNative.free(a);
            }
        }

        synchronized long address() {
            return address;
        }
    }

    private FaissIndex(long address, String description) {
        this.handle = new NativeHandle(address);
        this.cleanable = CLEANER.register(this, handle);
        try {
            this.dimension = FaissNative.dimension(address);
            this.metric = Metric.fromFaissCode(FaissNative.metric(address));
        } catch (RuntimeException e) {
            cleanable.clean();
            throw e;
        }
        this.description = description;
    }

    /**
     * Builds an empty index of {@code dimension}-float vectors with FAISS's
     * {@code index_factory(dimension, factory, metric)}. Indexes that need training (IVF, PQ)
     * report {@code isTrained() == false} until {@link #train} ran.
     */
    public static FaissIndex create(int dimension, String factory, Metric metric) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + dimension);
        }
        if (factory == null || factory.isBlank()) {
            throw new IllegalArgumentException("factory string is empty; use a FAISS index_factory"
                    + " description such as \"Flat\", \"IVF16,Flat\" or \"HNSW32\"");
        }
        if (metric == null) {
            throw new IllegalArgumentException("metric is null; use Metric.IP or Metric.L2");
        }
        NativeLibrary.ensureLoaded();
        long address;
        try {
            address = FaissNative.create(dimension, factory, metric.faissCode());
        } catch (FaissException e) {
            throw new FaissException("FAISS cannot build index '" + factory + "' (d=" + dimension
                    + ", " + metric + "): " + e.getMessage() + ". Use a FAISS index_factory"
                    + " description such as \"Flat\", \"IVF16,Flat\" or \"HNSW32\" that fits d", e);
        }
        return new FaissIndex(address, factory);
    }

    /**
     * Reads an index written by {@link #toBytes()} or by FAISS's {@code write_index} (Python
     * {@code faiss.write_index} files and {@code faiss.serialize_index} arrays included).
     * Truncated, trailing or unreadable bytes throw a FaissException. FAISS trusts the inner
     * structure of a well-formed file, so read only bytes this project (or FAISS) wrote.
     */
    public static FaissIndex fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("serialized index is "
                    + (bytes == null ? "null" : "empty")
                    + "; pass the bytes of FaissIndex.toBytes() or of a FAISS index file");
        }
        NativeLibrary.ensureLoaded();
        long address;
        try {
            address = FaissNative.deserialize(bytes);
        } catch (FaissException e) {
            throw new FaissException("cannot read a FAISS index from " + bytes.length + " bytes: "
                    + e.getMessage() + ". The bytes are truncated, corrupt or not a FAISS index;"
                    + " re-create them with FaissIndex.toBytes() or faiss.write_index", e);
        }
        String type;
        try {
            type = FaissNative.typeName(address);
        } catch (RuntimeException e) {
            FaissNative.free(address);
            throw e;
        }
        return new FaissIndex(address, type.startsWith("faiss::") ? type.substring(7) : type);
    }

    /** Trains the index (a no-op for Flat and HNSW) on the given rows. */
    public void train(float[][] vectors) {
        float[] flat = flatten(vectors, "training vectors");
        train(flat, vectors.length);
    }

    /** Trains the index on {@code n} rows given row-major in {@code flat} ({@code n * d}). */
    public void train(float[] flat, int n) {
        checkFlat(flat, n, "training vectors");
        withWriteLock("train", () -> FaissNative.train(address(), n, flat));
    }

    /** Adds rows; they get ids {@code ntotal()}, {@code ntotal() + 1}, ... in order. */
    public void add(float[][] vectors) {
        float[] flat = flatten(vectors, "vectors");
        add(flat, vectors.length);
    }

    /** Adds {@code n} rows given row-major in {@code flat} ({@code n * d} floats). */
    public void add(float[] flat, int n) {
        checkFlat(flat, n, "vectors");
        withWriteLock("add", () -> {
            if (!FaissNative.isTrained(address())) {
                throw new IllegalStateException(this + " is not trained: call train(...) with"
                        + " representative vectors (for IVF at least as many as it has lists)"
                        + " before add");
            }
            FaissNative.add(address(), n, flat);
        });
    }

    /** Searches the {@code k} closest vectors of every query row in one batched FAISS call. */
    public SearchResult search(float[][] queries, int k) {
        float[] flat = flatten(queries, "queries");
        return search(flat, queries.length, k);
    }

    /** Searches {@code n} queries given row-major in {@code flat}, like {@code search(rows, k)}. */
    public SearchResult search(float[] flat, int n, int k) {
        checkFlat(flat, n, "queries");
        if (k <= 0) {
            throw new IllegalArgumentException("k must be > 0, got " + k
                    + "; ask for at least one hit");
        }
        if ((long) n * k > MAX_ARRAY) {
            throw new IllegalArgumentException(n + " queries x k=" + k + " results do not fit in a"
                    + " Java array; search in smaller batches or with a smaller k");
        }
        Lock read = lock.readLock();
        read.lock();
        try {
            long a = address();
            if (!FaissNative.isTrained(a)) {
                throw new IllegalStateException(this + " is not trained: call train(...) and"
                        + " add(...) before search");
            }
            float[] distances = new float[n * k];
            long[] labels = new long[n * k];
            FaissNative.search(a, n, flat, k, distances, labels);
            return SearchResult.fromFlat(n, k, distances, labels);
        } catch (FaissException e) {
            throw failed("search", e);
        } finally {
            read.unlock();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Sets a FAISS search/build parameter by name, as FAISS's {@code ParameterSpace} does:
     * "nprobe" (IVF lists probed per query, default 1), "efSearch" (HNSW), ...
     */
    public void setParameter(String name, double value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "parameter name is empty; use e.g. \"nprobe\" or \"efSearch\"");
        }
        withWriteLock("setParameter(" + name + ")",
                () -> FaissNative.setParameter(address(), name, value));
    }

    /** Removes every vector (ids restart at 0); a trained index stays trained. */
    public void reset() {
        withWriteLock("reset", () -> FaissNative.reset(address()));
    }

    /** Number of vectors in the index. */
    public long ntotal() {
        return withReadLock(() -> FaissNative.ntotal(address()));
    }

    /** Floats per vector. */
    public int dimension() {
        return dimension;
    }

    /** The metric the index ranks by. */
    public Metric metric() {
        return metric;
    }

    /** The factory string it was created with, or the FAISS class name when read from bytes. */
    public String description() {
        return description;
    }

    /** False for an IVF/PQ index until {@link #train} ran. */
    public boolean isTrained() {
        return withReadLock(() -> FaissNative.isTrained(address()));
    }

    /** The index in FAISS's {@code write_index} format, for Python {@code faiss.read_index}. */
    public byte[] toBytes() {
        return withReadLock(() -> {
            try {
                return FaissNative.serialize(address());
            } catch (FaissException e) {
                throw failed("toBytes", e);
            }
        });
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return handle.address() == 0;
    }

    /** Frees the index after in-flight calls; later calls throw IllegalStateException. */
    @Override
    public void close() {
        Lock write = lock.writeLock();
        write.lock();
        try {
            cleanable.clean();
        } finally {
            write.unlock();
        }
    }

    @Override
    public String toString() {
        return "FaissIndex[" + description + ", d=" + dimension + ", " + metric + "]";
    }

    private long address() {
        long a = handle.address();
        if (a == 0) {
            throw new IllegalStateException(this + " is closed; create a new index or read it again"
                    + " with FaissIndex.fromBytes");
        }
        return a;
    }

    private FaissException failed(String operation, FaissException e) {
        return new FaissException("FAISS " + operation + " failed on " + this + ": "
                + e.getMessage(), e);
    }

    private interface Body<T> {
        T run();
    }

    private <T> T withReadLock(Body<T> body) {
        Lock read = lock.readLock();
        read.lock();
        try {
            return body.run();
        } finally {
            read.unlock();
            Reference.reachabilityFence(this);
        }
    }

    private void withWriteLock(String operation, Runnable body) {
        Lock write = lock.writeLock();
        write.lock();
        try {
            body.run();
        } catch (FaissException e) {
            throw failed(operation, e);
        } finally {
            write.unlock();
            Reference.reachabilityFence(this);
        }
    }

    private void checkFlat(float[] flat, int n, String what) {
        if (flat == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("no " + what + " given (n=" + n + "); pass at least"
                    + " one row of " + dimension + " floats");
        }
        if ((long) n * dimension != flat.length) {
            throw new IllegalArgumentException(what + " hold " + flat.length + " floats but " + n
                    + " rows of dimension " + dimension + " need " + (long) n * dimension
                    + "; check the embedding dimension of the encoder against this index");
        }
    }

    private float[] flatten(float[][] rows, String what) {
        if (rows == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if ((long) rows.length * dimension > MAX_ARRAY) {
            throw new IllegalArgumentException(rows.length + " " + what + " of dimension "
                    + dimension + " do not fit in one Java array; pass them in smaller batches");
        }
        float[] flat = new float[rows.length * dimension];
        for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            if (row == null || row.length != dimension) {
                throw new IllegalArgumentException(what + " row " + i + " has "
                        + (row == null ? "no array" : row.length + " floats") + " but " + this
                        + " has dimension " + dimension + "; check the embedding dimension of the"
                        + " encoder against this index");
            }
            System.arraycopy(row, 0, flat, i * dimension, dimension);
        }
        return flat;
    }
}
