package org.memorag.spark;

import java.io.Serializable;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a task runs its models on: the first GPU address Spark's resource scheduler assigned
 * the task ({@code spark.task.resource.gpu.amount}, found by the discovery script), or the CPU
 * when the task got none (local mode, CPU clusters).
 *
 * @param gpuIndex the GPU ordinal, or -1 for the CPU
 */
public record GpuBinding(int gpuIndex) implements Serializable {
    public static final GpuBinding CPU = new GpuBinding(-1);

    public GpuBinding {
        if (gpuIndex < -1) {
            throw new IllegalArgumentException("GPU index must be >= 0 (or -1 for CPU): "
                    + gpuIndex);
        }
    }

    /** The binding of the current Spark task; CPU outside a task or without a "gpu" resource. */
    public static GpuBinding forCurrentTask() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return CPU;
        }
        return fromResources(task.resourcesJMap());
    }

    /** The binding for a task's resources map (resource name to addresses). */
    public static GpuBinding fromResources(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        return gpu == null ? CPU : fromAddresses(gpu.addresses());
    }

    /** The binding for Spark's GPU addresses ("0", "1", ...): the first one, CPU when empty. */
    public static GpuBinding fromAddresses(String[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return CPU;
        }
        String a = addresses[0].trim();
        try {
            return new GpuBinding(Integer.parseInt(a));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPU address '" + a + "' from Spark's resource"
                    + " scheduler is not a device ordinal; make the discovery script"
                    + " (scripts/gpu-discovery.sh) print indices such as \"0\"", e);
        }
    }

    public boolean isGpu() {
        return gpuIndex >= 0;
    }

    /** The device name: "cpu" or "cuda:0", "cuda:1", ... (the pipeline key device). */
    public String deviceName() {
        return isGpu() ? "cuda:" + gpuIndex : "cpu";
    }

    @Override
    public String toString() {
        return deviceName();
    }
}
