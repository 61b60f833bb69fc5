package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class GpuBindingTest {

    @Test
    void bindsToTheFirstAssignedGpu() {
        GpuBinding b = GpuBinding.fromResources(
                Map.of("gpu", new ResourceInformation("gpu", new String[] {"3", "1"})));
        assertEquals(3, b.gpuIndex());
        assertEquals("cuda:3", b.deviceName());
    }

    @Test
    void cpuWithoutGpuResourceOrOutsideATask() {
        assertEquals(GpuBinding.CPU, GpuBinding.fromResources(Map.of()));
        assertEquals(GpuBinding.CPU, GpuBinding.fromAddresses(new String[0]));
        assertEquals(GpuBinding.CPU, GpuBinding.forCurrentTask());
        assertEquals("cpu", GpuBinding.CPU.deviceName());
    }

    @Test
    void nonNumericAddressNamesTheDiscoveryScript() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GpuBinding.fromAddresses(new String[] {"GPU-8f2a"}));
        assertTrue(e.getMessage().contains("gpu-discovery.sh"), e.getMessage());
    }
}
