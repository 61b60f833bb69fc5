package org.memorag.engine.beacon;

import ai.djl.ndarray.NDArray;

/**
 * The weights one decoder layer uses on the beacon path: the plain Qwen2 / Llama weights plus the
 * beacon projections of BEACON_SPEC §2.2 ({@code model.layers.{i}.self_attn.beacon_[qkvo]_proj}).
 * Linear weights are transposed at load ({@code [in, out]}); a beacon projection is null when its
 * letter is not in {@code beacon_param} (beacon rows then use the ordinary one); biases are null
 * when the checkpoint has none (Mistral).
 */
public record BeaconLayer(NDArray inputLayernorm,           // [hidden]
                          NDArray qProj, NDArray qBias,     // [hidden, heads*D], [heads*D]
                          NDArray kProj, NDArray kBias,     // [hidden, kvHeads*D], [kvHeads*D]
                          NDArray vProj, NDArray vBias,     // [hidden, kvHeads*D], [kvHeads*D]
                          NDArray oProj, NDArray oBias,     // [heads*D, hidden], Llama only
                          NDArray beaconQProj, NDArray beaconQBias,   // like q_proj, or null
                          NDArray beaconKProj, NDArray beaconKBias,   // like k_proj, or null
                          NDArray beaconVProj, NDArray beaconVBias,   // like v_proj, or null
                          NDArray beaconOProj,                        // like o_proj, or null
                          NDArray postAttentionLayernorm,   // [hidden]
                          NDArray gateProj, NDArray upProj, // [hidden, intermediate]
                          NDArray downProj) {}              // [intermediate, hidden]
