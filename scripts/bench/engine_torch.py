#!/usr/bin/env python3
"""PyTorch eager baseline for EngineBench: a plain Qwen2 forward (q/k/v biases, GQA, rotate-half
RoPE, causal softmax attention, SwiGLU) over the same safetensors folder, prefill + greedy decode
with a concatenating KV cache. Usage: engine_torch.py MODEL_DIR [512,4096] [threads]"""
import json, struct, sys, time
import numpy as np
import torch

def load(dir):
    with open(f"{dir}/model.safetensors", "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        assert t["dtype"] == "F32", t["dtype"]
        out[name] = torch.from_numpy(np.frombuffer(raw, np.float32, (e - b) // 4, 8 + n + b).copy()).reshape(t["shape"])
    return out

def main():
    dir = sys.argv[1]
    lengths = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "512,4096").split(",")]
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    cfg = json.load(open(f"{dir}/config.json"))
    w = load(dir)
    H, KV, L = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["num_hidden_layers"]
    hid = cfg["hidden_size"]; D = hid // H; eps = cfg["rms_norm_eps"]
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, D, 2).float() / D))
    lm = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]

    def rms(x, g):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * g

    def rope(x, pos):                      # x [n, h, D]
        a = pos[:, None].float() * inv[None, :]
        cos = torch.cat([a, a], -1).cos()[:, None, :]
        sin = torch.cat([a, a], -1).sin()[:, None, :]
        x1, x2 = x[..., : D // 2], x[..., D // 2:]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    def forward(ids, cache, start):
        n = len(ids)
        pos = torch.arange(start, start + n)
        x = w["model.embed_tokens.weight"][torch.tensor(ids)]
        for l in range(L):
            p = f"model.layers.{l}."
            h = rms(x, w[p + "input_layernorm.weight"])
            q = (h @ w[p + "self_attn.q_proj.weight"].T + w[p + "self_attn.q_proj.bias"]).view(n, H, D)
            k = (h @ w[p + "self_attn.k_proj.weight"].T + w[p + "self_attn.k_proj.bias"]).view(n, KV, D)
            v = (h @ w[p + "self_attn.v_proj.weight"].T + w[p + "self_attn.v_proj.bias"]).view(n, KV, D)
            q, k = rope(q, pos), rope(k, pos)
            if cache[l] is not None:
                k = torch.cat([cache[l][0], k]); v = torch.cat([cache[l][1], v])
            cache[l] = (k, v)
            T = k.shape[0]
            kk = k.repeat_interleave(H // KV, 1).transpose(0, 1)   # [H, T, D]
            vv = v.repeat_interleave(H // KV, 1).transpose(0, 1)
            s = q.transpose(0, 1) @ kk.transpose(1, 2) / D ** 0.5    # [H, n, T]
            if n > 1:
                s = s + torch.full((n, T), float("-inf")).triu(T - n + 1)
            a = (s.softmax(-1) @ vv).transpose(0, 1).reshape(n, H * D)
            x = x + a @ w[p + "self_attn.o_proj.weight"].T
            h = rms(x, w[p + "post_attention_layernorm.weight"])
            g = h @ w[p + "mlp.gate_proj.weight"].T
            x = x + (torch.nn.functional.silu(g) * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
        return rms(x[-1:], w["model.norm.weight"]) @ lm.T

    print("| tokens | torch prefill ms | torch prefill tok/s | torch decode tok/s |")
    with torch.inference_mode():
        forward(list(range(64)), [None] * L, 0)
        for n in lengths:
            ids = [(i * 7919) % cfg["vocab_size"] for i in range(n)]
            cache = [None] * L
            t = time.perf_counter(); logits = forward(ids, cache, 0); pre = time.perf_counter() - t
            tok = int(logits.argmax()); t = time.perf_counter()
            for i in range(32):
                tok = int(forward([tok], cache, n + i).argmax())
            dec = time.perf_counter() - t
            print(f"| {n} | {pre * 1000:.0f} | {n / pre:.0f} | {32 / dec:.1f} |")

if __name__ == "__main__":
    main()
