// JNI entry points of libmemoragkernels.so for org.memorag.engine.ops.NativeAttention.
//
// Tensors arrive as direct ByteBuffers over PyTorch's own memory (no copies). Every buffer's size
// is checked against what the kernel will read or write before it runs, and no C++ exception
// crosses the boundary.
#include <jni.h>

#include <exception>
#include <string>
#include <vector>

#include "flash_attention.h"

namespace {

void throwJava(JNIEnv* env, const char* cls, const std::string& message) {
    if (env->ExceptionCheck()) {
        return;
    }
    jclass c = env->FindClass(cls);
    if (c != nullptr) {
        env->ThrowNew(c, message.c_str());
    }
}

void illegal(JNIEnv* env, const std::string& message) {
    throwJava(env, "java/lang/IllegalArgumentException", message);
}

// The buffer's address when it is direct and holds at least `floats` floats, else null (thrown).
float* floats(JNIEnv* env, jobject buffer, int64_t floats, const std::string& what) {
    if (buffer == nullptr) {
        illegal(env, what + " is null");
        return nullptr;
    }
    void* address = env->GetDirectBufferAddress(buffer);
    jlong capacity = env->GetDirectBufferCapacity(buffer);
    if (address == nullptr || capacity < 0) {
        illegal(env, what + " is not a direct buffer");
        return nullptr;
    }
    if (capacity / static_cast<jlong>(sizeof(float)) < floats) {
        illegal(env, what + " holds " + std::to_string(capacity / sizeof(float))
                + " floats, the attention call reads or writes " + std::to_string(floats));
        return nullptr;
    }
    return static_cast<float*>(address);
}

}  // namespace

extern "C" {

JNIEXPORT jboolean JNICALL Java_org_memorag_engine_ops_NativeAttention_avx512(JNIEnv*, jclass) {
    return memorag::avx512Available() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_org_memorag_engine_ops_NativeAttention_avx2(JNIEnv*, jclass) {
    return memorag::avx2Available() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL Java_org_memorag_engine_ops_NativeAttention_attend(JNIEnv* env, jclass,
        jint kernel, jint threads, jobject qBuffer, jobject outBuffer, jint n, jint heads,
        jint kvHeads, jint headDim, jobjectArray keyBuffers, jobjectArray valueBuffers,
        jlongArray firstFloats, jlongArray headStrides, jintArray lengths, jboolean causal,
        jlong queryOffset, jint window, jfloat scale) {
    try {
        if (n <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0) {
            illegal(env, "attention: n, heads, kvHeads and headDim must be positive");
            return;
        }
        const int64_t qFloats = static_cast<int64_t>(n) * heads * headDim;
        float* q = floats(env, qBuffer, qFloats, "attention queries");
        float* out = q == nullptr ? nullptr : floats(env, outBuffer, qFloats, "attention output");
        if (out == nullptr) {
            return;
        }
        jsize count = env->GetArrayLength(keyBuffers);
        if (env->GetArrayLength(valueBuffers) != count || env->GetArrayLength(firstFloats) != count
                || env->GetArrayLength(headStrides) != count
                || env->GetArrayLength(lengths) != count) {
            illegal(env, "attention: the segment arrays differ in length");
            return;
        }
        std::vector<jlong> first(count);
        std::vector<jlong> stride(count);
        std::vector<jint> length(count);
        env->GetLongArrayRegion(firstFloats, 0, count, first.data());
        env->GetLongArrayRegion(headStrides, 0, count, stride.data());
        env->GetIntArrayRegion(lengths, 0, count, length.data());
        std::vector<memorag::KvSegmentView> segments(count);
        for (jsize s = 0; s < count; s++) {
            if (first[s] < 0 || length[s] < 0
                    || stride[s] < static_cast<int64_t>(length[s]) * headDim) {
                illegal(env, "attention segment " + std::to_string(s) + ": offset "
                        + std::to_string(first[s]) + ", length " + std::to_string(length[s])
                        + " and head stride " + std::to_string(stride[s]) + " do not describe"
                        + " [kvHeads, length, headDim] rows");
                return;
            }
            // the last float read: head kvHeads-1, row length-1
            int64_t needed = first[s] + (kvHeads - 1) * stride[s]
                    + static_cast<int64_t>(length[s]) * headDim;
            std::string name = "attention segment " + std::to_string(s);
            float* k = floats(env, env->GetObjectArrayElement(keyBuffers, s), needed,
                    name + " keys");
            float* v = k == nullptr ? nullptr
                    : floats(env, env->GetObjectArrayElement(valueBuffers, s), needed,
                            name + " values");
            if (v == nullptr) {
                return;
            }
            segments[s] = memorag::KvSegmentView{k + first[s], v + first[s], stride[s], length[s]};
        }
        memorag::AttentionProblem p{q, out, n, heads, kvHeads, headDim, segments.data(),
                static_cast<int32_t>(count), causal == JNI_TRUE, queryOffset, window, scale};
        const char* why = memorag::attend(p, threads,
                static_cast<memorag::AttentionKernel>(kernel));
        if (why != nullptr) {
            illegal(env, why);
        }
    } catch (const std::exception& e) {
        throwJava(env, "java/lang/IllegalStateException",
                std::string("native attention failed: ") + e.what());
    } catch (...) {
        throwJava(env, "java/lang/IllegalStateException", "native attention failed");
    }
}

}  // extern "C"
