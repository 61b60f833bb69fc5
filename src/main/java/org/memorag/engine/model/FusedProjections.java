package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;

/**
 * A layer's q|k|v and gate|up projections joined column-wise at load, so a forward pass runs two
 * matmuls where it ran five: on CPU every matmul is a native call and a parallel region, which
 * dominated decode (one token, weights [768, 256]). The separate weights stay available as
 * views of the joined tensors (no second copy), for code that needs them apart (engine.beacon).
 *
 * @param qkv     {@code [hidden, q + 2 kv]}, transposed like every linear weight here
 * @param qkvBias {@code [q + 2 kv]}, or null for a model without attention biases
 * @param gateUp  {@code [hidden, 2 intermediate]}
 */
public record FusedProjections(NDArray qkv, NDArray qkvBias, long qDim, long kvDim,
        NDArray gateUp, long intermediate) {

    /** Joins the transposed weights (and biases, all or none) and closes the parts. */
    static FusedProjections join(NDArray q, NDArray k, NDArray v, NDArray qb, NDArray kb,
            NDArray vb, NDArray gate, NDArray up) {
        long qDim = q.getShape().get(1);
        long kvDim = k.getShape().get(1);
        long inter = gate.getShape().get(1);
        NDArray qkv = NDArrays.concat(new NDList(q, k, v), 1);
        NDArray bias = qb == null ? null : NDArrays.concat(new NDList(qb, kb, vb), 0);
        NDArray gateUp = NDArrays.concat(new NDList(gate, up), 1);
        for (NDArray a : new NDArray[] {q, k, v, qb, kb, vb, gate, up}) {
            if (a != null) {
                a.close();
            }
        }
        return new FusedProjections(qkv, bias, qDim, kvDim, gateUp, inter);
    }

    /** Columns {@code [from, to)} of a weight, or elements of a bias, as a view. */
    NDArray columns(NDArray w, long from, long to) {
        if (w == null) {
            return null;
        }
        return w.getShape().dimension() == 1 ? w.get(new NDIndex("{}:{}", from, to))
                : w.get(new NDIndex(":, {}:{}", from, to));
    }

    NDArray[] qkvViews(NDArray w) {
        return new NDArray[] {columns(w, 0, qDim), columns(w, qDim, qDim + kvDim),
            columns(w, qDim + kvDim, qDim + 2 * kvDim)};
    }

    /** {@code h [n, hidden]} projected to {q [n, qDim], k [n, kvDim], v [n, kvDim]}. */
    NDArray[] project(NDArray h) {
        NDArray all = h.matMul(qkv);
        if (qkvBias != null) {
            all = all.add(qkvBias);
        }
        return qkvViews(all);
    }

    /** The gated MLP {@code down(silu(gate(x)) * up(x))} with one matmul for gate and up. */
    NDArray mlp(NDArray x, NDArray downT) {
        NDArray gu = x.matMul(gateUp);
        NDArray g = columns(gu, 0, intermediate);
        NDArray u = columns(gu, intermediate, 2 * intermediate);
        return g.mul(Activation.sigmoid(g)).mul(u).matMul(downT);
    }
}
