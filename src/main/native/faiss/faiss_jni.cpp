// JNI shim over FAISS's C++ API (faiss 1.7.3) for org.memorag.index.FaissNative.
//
// Modelled on FAISS's own C API (c_api/Index_c.cpp): an opaque handle (the faiss::Index* as a
// jlong), one function per operation, explicit free, and every body wrapped so that no C++
// exception crosses the JNI boundary (CATCH_AND_HANDLE, but throwing a Java exception instead of
// returning an error code). Array lengths are checked here too, although FaissIndex checks them
// first: a wrong length would otherwise make FAISS read or write past a Java array.
//
// Threads: this file never calls omp_set_num_threads. FAISS parallelises with OpenMP and, for
// >= 20 queries, BLAS; both size their pools from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS, which
// executors should set to 1 when task slots = cores (STACK_NOTES.md, "OpenMP").
#include <jni.h>

#include <cxxabi.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <typeinfo>
#include <vector>

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/MetricType.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

namespace {

using idx_t = faiss::Index::idx_t;
static_assert(sizeof(idx_t) == sizeof(jlong), "faiss ids must be 64-bit like Java longs");

// Indexes created or read and not yet freed: lets tests see that close() and the Cleaner free.
std::atomic<int64_t> liveIndexes{0};

const char* const FAISS_EXCEPTION = "org/memorag/index/FaissException";
const char* const ILLEGAL_ARGUMENT = "java/lang/IllegalArgumentException";
const char* const ILLEGAL_STATE = "java/lang/IllegalStateException";

// Thrown inside a body when the caller passed something wrong; becomes an exception of class cls.
struct JavaError {
    const char* cls;
    std::string message;
};

// Thrown inside a body when a JNI call left a Java exception pending (e.g. OutOfMemoryError).
struct PendingJavaException {};

void throwJava(JNIEnv* env, const char* cls, const std::string& message) {
    if (env->ExceptionCheck()) {
        return;  // keep the first exception: it says what really failed
    }
    jclass c = env->FindClass(cls);
    if (c == nullptr) {
        env->ExceptionClear();
        c = env->FindClass("java/lang/RuntimeException");
        if (c == nullptr) {
            return;
        }
    }
    env->ThrowNew(c, message.c_str());
    env->DeleteLocalRef(c);
}

// Runs body and turns every C++ exception into a Java one; returns fallback when body threw.
template <typename R, typename F>
R guarded(JNIEnv* env, R fallback, F&& body) {
    try {
        return body();
    } catch (const JavaError& e) {
        throwJava(env, e.cls, e.message);
    } catch (const PendingJavaException&) {
        // the Java exception is already pending
    } catch (const faiss::FaissException& e) {
        throwJava(env, FAISS_EXCEPTION, e.what());
    } catch (const std::bad_alloc&) {
        throwJava(env, FAISS_EXCEPTION,
                  "FAISS ran out of native memory (std::bad_alloc); use a smaller batch or a more "
                  "compact index type, or give the executor more off-heap memory");
    } catch (const std::exception& e) {
        throwJava(env, FAISS_EXCEPTION, std::string("C++ exception in FAISS: ") + e.what());
    } catch (...) {
        throwJava(env, FAISS_EXCEPTION, "unknown C++ exception in FAISS");
    }
    return fallback;
}

faiss::Index* indexOf(jlong handle) {
    if (handle == 0) {
        throw JavaError{ILLEGAL_STATE,
                        "FAISS index handle is 0: the index was freed or never created"};
    }
    return reinterpret_cast<faiss::Index*>(handle);
}

void checkCount(const char* what, jint n) {
    if (n <= 0) {
        throw JavaError{ILLEGAL_ARGUMENT,
                        std::string(what) + " must be > 0, got " + std::to_string(n)};
    }
}

// Copies a Java float[] of exactly `expected` elements (the JVM's array stays unpinned, so long
// FAISS calls never block the garbage collector).
std::vector<float> copyFloats(JNIEnv* env, jfloatArray array, int64_t expected, const char* what) {
    if (array == nullptr) {
        throw JavaError{ILLEGAL_ARGUMENT, std::string(what) + " is null"};
    }
    jsize length = env->GetArrayLength(array);
    if (static_cast<int64_t>(length) != expected) {
        throw JavaError{ILLEGAL_ARGUMENT, std::string(what) + " has " + std::to_string(length)
                + " floats but " + std::to_string(expected) + " were expected (n * d)"};
    }
    std::vector<float> values(static_cast<size_t>(length));
    env->GetFloatArrayRegion(array, 0, length, values.data());
    if (env->ExceptionCheck()) {
        throw PendingJavaException{};
    }
    return values;
}

void checkLength(JNIEnv* env, jarray array, int64_t expected, const char* what) {
    if (array == nullptr) {
        throw JavaError{ILLEGAL_ARGUMENT, std::string(what) + " is null"};
    }
    jsize length = env->GetArrayLength(array);
    if (static_cast<int64_t>(length) != expected) {
        throw JavaError{ILLEGAL_ARGUMENT, std::string(what) + " has " + std::to_string(length)
                + " elements but " + std::to_string(expected) + " were expected (n * k)"};
    }
}

std::string javaString(JNIEnv* env, jstring s, const char* what) {
    if (s == nullptr) {
        throw JavaError{ILLEGAL_ARGUMENT, std::string(what) + " is null"};
    }
    const char* chars = env->GetStringUTFChars(s, nullptr);
    if (chars == nullptr) {
        throw PendingJavaException{};
    }
    std::string copy(chars);
    env->ReleaseStringUTFChars(s, chars);
    return copy;
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_org_memorag_index_FaissNative_create(
        JNIEnv* env, jclass, jint d, jstring description, jint metric) {
    return guarded<jlong>(env, 0, [&]() -> jlong {
        checkCount("dimension", d);
        std::string desc = javaString(env, description, "factory description");
        if (metric != faiss::METRIC_INNER_PRODUCT && metric != faiss::METRIC_L2) {
            throw JavaError{ILLEGAL_ARGUMENT,
                            "unsupported FAISS metric code " + std::to_string(metric)};
        }
        std::unique_ptr<faiss::Index> index(
                faiss::index_factory(d, desc.c_str(), static_cast<faiss::MetricType>(metric)));
        liveIndexes++;
        return reinterpret_cast<jlong>(index.release());
    });
}

JNIEXPORT void JNICALL Java_org_memorag_index_FaissNative_free(JNIEnv* env, jclass, jlong handle) {
    guarded<int>(env, 0, [&]() {
        if (handle != 0) {
            delete reinterpret_cast<faiss::Index*>(handle);
            liveIndexes--;
        }
        return 0;
    });
}

JNIEXPORT jlong JNICALL Java_org_memorag_index_FaissNative_liveIndexes(JNIEnv*, jclass) {
    return static_cast<jlong>(liveIndexes.load());
}

JNIEXPORT jint JNICALL Java_org_memorag_index_FaissNative_dimension(
        JNIEnv* env, jclass, jlong handle) {
    return guarded<jint>(env, 0, [&]() { return static_cast<jint>(indexOf(handle)->d); });
}

JNIEXPORT jlong JNICALL Java_org_memorag_index_FaissNative_ntotal(
        JNIEnv* env, jclass, jlong handle) {
    return guarded<jlong>(env, 0, [&]() { return static_cast<jlong>(indexOf(handle)->ntotal); });
}

JNIEXPORT jint JNICALL Java_org_memorag_index_FaissNative_metric(
        JNIEnv* env, jclass, jlong handle) {
    return guarded<jint>(env, -1, [&]() {
        return static_cast<jint>(indexOf(handle)->metric_type);
    });
}

JNIEXPORT jboolean JNICALL Java_org_memorag_index_FaissNative_isTrained(
        JNIEnv* env, jclass, jlong handle) {
    return guarded<jboolean>(env, JNI_FALSE, [&]() -> jboolean {
        return indexOf(handle)->is_trained ? JNI_TRUE : JNI_FALSE;
    });
}

JNIEXPORT jstring JNICALL Java_org_memorag_index_FaissNative_typeName(
        JNIEnv* env, jclass, jlong handle) {
    return guarded<jstring>(env, nullptr, [&]() -> jstring {
        faiss::Index* index = indexOf(handle);
        const char* mangled = typeid(*index).name();
        int status = 0;
        char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
        std::string name = (status == 0 && demangled != nullptr) ? demangled : mangled;
        std::free(demangled);
        jstring result = env->NewStringUTF(name.c_str());
        if (result == nullptr) {
            throw PendingJavaException{};
        }
        return result;
    });
}

JNIEXPORT void JNICALL Java_org_memorag_index_FaissNative_train(
        JNIEnv* env, jclass, jlong handle, jint n, jfloatArray x) {
    guarded<int>(env, 0, [&]() {
        faiss::Index* index = indexOf(handle);
        checkCount("number of training vectors n", n);
        std::vector<float> data = copyFloats(env, x, int64_t{n} * index->d, "training vectors");
        index->train(n, data.data());
        return 0;
    });
}

JNIEXPORT void JNICALL Java_org_memorag_index_FaissNative_add(
        JNIEnv* env, jclass, jlong handle, jint n, jfloatArray x) {
    guarded<int>(env, 0, [&]() {
        faiss::Index* index = indexOf(handle);
        checkCount("number of vectors n", n);
        if (!index->is_trained) {
            throw JavaError{ILLEGAL_STATE, "the index is not trained; call train before add"};
        }
        std::vector<float> data = copyFloats(env, x, int64_t{n} * index->d, "vectors");
        index->add(n, data.data());
        return 0;
    });
}

JNIEXPORT void JNICALL Java_org_memorag_index_FaissNative_search(JNIEnv* env, jclass, jlong handle,
        jint n, jfloatArray x, jint k, jfloatArray distances, jlongArray labels) {
    guarded<int>(env, 0, [&]() {
        faiss::Index* index = indexOf(handle);
        checkCount("number of queries n", n);
        checkCount("k", k);
        if (!index->is_trained) {
            throw JavaError{ILLEGAL_STATE, "the index is not trained; call train before search"};
        }
        std::vector<float> queries = copyFloats(env, x, int64_t{n} * index->d, "queries");
        int64_t results = int64_t{n} * k;
        checkLength(env, distances, results, "distances");
        checkLength(env, labels, results, "labels");
        std::vector<float> d(static_cast<size_t>(results));
        std::vector<idx_t> l(static_cast<size_t>(results));
        index->search(n, queries.data(), k, d.data(), l.data());
        env->SetFloatArrayRegion(distances, 0, static_cast<jsize>(results), d.data());
        env->SetLongArrayRegion(labels, 0, static_cast<jsize>(results),
                                reinterpret_cast<const jlong*>(l.data()));
        return 0;
    });
}

JNIEXPORT void JNICALL Java_org_memorag_index_FaissNative_reset(JNIEnv* env, jclass, jlong handle) {
    guarded<int>(env, 0, [&]() {
        indexOf(handle)->reset();
        return 0;
    });
}

JNIEXPORT void JNICALL Java_org_memorag_index_FaissNative_setParameter(
        JNIEnv* env, jclass, jlong handle, jstring name, jdouble value) {
    guarded<int>(env, 0, [&]() {
        faiss::Index* index = indexOf(handle);
        std::string key = javaString(env, name, "parameter name");
        faiss::ParameterSpace().set_index_parameter(index, key, value);
        return 0;
    });
}

JNIEXPORT jbyteArray JNICALL Java_org_memorag_index_FaissNative_serialize(
        JNIEnv* env, jclass, jlong handle) {
    return guarded<jbyteArray>(env, nullptr, [&]() -> jbyteArray {
        faiss::VectorIOWriter writer;
        faiss::write_index(indexOf(handle), &writer);
        size_t size = writer.data.size();
        if (size > static_cast<size_t>(INT32_MAX - 8)) {
            throw JavaError{FAISS_EXCEPTION, "the serialized index has " + std::to_string(size)
                    + " bytes, more than a Java byte[] holds; split it into several indexes"};
        }
        jbyteArray out = env->NewByteArray(static_cast<jsize>(size));
        if (out == nullptr) {
            throw PendingJavaException{};
        }
        env->SetByteArrayRegion(out, 0, static_cast<jsize>(size),
                                reinterpret_cast<const jbyte*>(writer.data.data()));
        return out;
    });
}

JNIEXPORT jlong JNICALL Java_org_memorag_index_FaissNative_deserialize(
        JNIEnv* env, jclass, jbyteArray bytes) {
    return guarded<jlong>(env, 0, [&]() -> jlong {
        if (bytes == nullptr) {
            throw JavaError{ILLEGAL_ARGUMENT, "serialized index is null"};
        }
        jsize length = env->GetArrayLength(bytes);
        faiss::VectorIOReader reader;
        reader.data.resize(static_cast<size_t>(length));
        env->GetByteArrayRegion(bytes, 0, length, reinterpret_cast<jbyte*>(reader.data.data()));
        if (env->ExceptionCheck()) {
            throw PendingJavaException{};
        }
        std::unique_ptr<faiss::Index> index(faiss::read_index(&reader));
        if (reader.rp != reader.data.size()) {
            throw JavaError{FAISS_EXCEPTION, "the serialized index ends after "
                    + std::to_string(reader.rp) + " of " + std::to_string(reader.data.size())
                    + " bytes: the input holds trailing data or more than one index"};
        }
        if (index->d <= 0 || index->ntotal < 0) {
            throw JavaError{FAISS_EXCEPTION, "the serialized index has dimension "
                    + std::to_string(index->d) + " and " + std::to_string(index->ntotal)
                    + " vectors: the bytes are corrupt"};
        }
        liveIndexes++;
        return reinterpret_cast<jlong>(index.release());
    });
}

}  // extern "C"
