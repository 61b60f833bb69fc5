#!/usr/bin/python3
"""EngineBench's PyTorch-eager baseline: a plain Qwen2 forward written for the benchmark.

Reads the checkpoint folder (config.json, model.safetensors parsed with numpy: Debian ships no
python3-safetensors), feeds the prompt ids directly, prefills in one forward pass per 2048-token
chunk (the chunk our engine uses), then decodes greedily one token at a time with a KV cache.
Modules as in transformers' modeling_qwen2.py: RMSNorm in float32, rotate-half RoPE, GQA
attention (q/k/v biases, no o_proj bias), SwiGLU MLP, tied lm_head. Attention uses
torch.nn.functional.scaled_dot_product_attention when the installed torch has it (2.0+); Debian's
1.13 does not, so it falls back to matmul + softmax over blocks of queries (a full 16K x 16K score
matrix would need 12 GB).

Prints one line per repetition:
    rep tokens=N prefill_ms=X decode_tokens=M decode_ms=Y first=ID prefill_cpu_ms=A decode_cpu_ms=B
(CPU time of the whole process: on a shared machine it shows the work apart from waiting).
Usage: torch_qwen2.py MODEL_DIR PROMPT_FILE LENGTHS DECODE_TOKENS REPS THREADS
"""
import json
import mmap
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

CHUNK = 2048          # prompt tokens per forward pass
QUERY_BLOCK = 512     # query rows per attention block in the fallback

DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16}


def load_safetensors(path):
    """name -> float32 torch tensor, from a memory map of the file."""
    f = open(path, "rb")
    mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    n = int.from_bytes(mm[:8], "little")
    header = json.loads(mm[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}; F32/F16/BF16 only")
        start, end = info["data_offsets"]
        a = np.frombuffer(mm, dtype=DTYPES[info["dtype"]], count=(end - start) // np.dtype(
            DTYPES[info["dtype"]]).itemsize, offset=base + start).reshape(info["shape"])
        if info["dtype"] == "BF16":
            a = (a.astype(np.uint32) << 16).view(np.float32)
        out[name] = torch.from_numpy(np.array(a, dtype=np.float32))
    return out


class Qwen2:
    def __init__(self, folder):
        with open(os.path.join(folder, "config.json")) as f:
            c = json.load(f)
        self.hidden = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c["num_key_value_heads"]
        self.head_dim = self.hidden // self.heads
        self.eps = c["rms_norm_eps"]
        self.layers = c["num_hidden_layers"]
        w = load_safetensors(os.path.join(folder, "model.safetensors"))
        self.embed = w["model.embed_tokens.weight"]
        self.lm_head = w.get("lm_head.weight", self.embed)
        self.norm = w["model.norm.weight"]
        self.w = []
        for i in range(self.layers):
            p = f"model.layers.{i}."
            self.w.append({k: w[p + k] for k in (
                "input_layernorm.weight", "post_attention_layernorm.weight",
                "self_attn.q_proj.weight", "self_attn.q_proj.bias",
                "self_attn.k_proj.weight", "self_attn.k_proj.bias",
                "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.o_proj.weight",
                "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight")})
        inv = 1.0 / (c.get("rope_theta", 10000.0) ** (
            torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim))
        self.inv_freq = inv

    def rms(self, x, weight):
        v = x.pow(2).mean(-1, keepdim=True)
        return x * torch.rsqrt(v + self.eps) * weight

    def rope(self, x, pos):
        # x [heads, n, d]; pos [n]
        ang = pos[:, None].float() * self.inv_freq[None, :]
        emb = torch.cat((ang, ang), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        half = self.head_dim // 2
        rot = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
        return x * cos + rot * sin

    def attend(self, q, k, v, start):
        # q [H, n, d] at positions start..start+n-1; k, v [Hkv, t, d] (t = start + n)
        g = self.heads // self.kv_heads
        n, t = q.shape[1], k.shape[1]
        if hasattr(F, "scaled_dot_product_attention"):
            kk = k.repeat_interleave(g, dim=0)
            vv = v.repeat_interleave(g, dim=0)
            if n == 1:
                return F.scaled_dot_product_attention(q, kk, vv)
            mask = torch.arange(t)[None, :] <= (torch.arange(n)[:, None] + start)
            return F.scaled_dot_product_attention(q, kk, vv, attn_mask=mask)
        qg = q.reshape(self.kv_heads, g, n, self.head_dim)
        scale = 1.0 / (self.head_dim ** 0.5)
        outs = []
        for q0 in range(0, n, QUERY_BLOCK):
            q1 = min(n, q0 + QUERY_BLOCK)
            kend = start + q1                     # causal: later keys are hidden anyway
            s = torch.matmul(qg[:, :, q0:q1], k[:, None, :kend].transpose(-1, -2)) * scale
            if n > 1:
                hidden = torch.arange(kend)[None, :] > (torch.arange(q0, q1)[:, None] + start)
                s = s.masked_fill(hidden, float("-inf"))
            p = torch.softmax(s, dim=-1)
            outs.append(torch.matmul(p, v[:, None, :kend]))
        return torch.cat(outs, dim=2).reshape(self.heads, n, self.head_dim)

    def forward(self, ids, cache, start):
        """ids [n] at positions start..; cache: per layer [k, v] of [Hkv, start, d]; -> hidden."""
        n = ids.shape[0]
        pos = torch.arange(start, start + n)
        x = self.embed[ids]
        for i, w in enumerate(self.w):
            h = self.rms(x, w["input_layernorm.weight"])
            q = F.linear(h, w["self_attn.q_proj.weight"], w["self_attn.q_proj.bias"])
            k = F.linear(h, w["self_attn.k_proj.weight"], w["self_attn.k_proj.bias"])
            v = F.linear(h, w["self_attn.v_proj.weight"], w["self_attn.v_proj.bias"])
            q = self.rope(q.view(n, self.heads, self.head_dim).transpose(0, 1), pos)
            k = self.rope(k.view(n, self.kv_heads, self.head_dim).transpose(0, 1), pos)
            v = v.view(n, self.kv_heads, self.head_dim).transpose(0, 1)
            if cache[i] is not None:
                k = torch.cat((cache[i][0], k), dim=1)
                v = torch.cat((cache[i][1], v), dim=1)
            cache[i] = (k, v)
            a = self.attend(q, k, v, start).transpose(0, 1).reshape(n, self.hidden)
            x = x + F.linear(a, w["self_attn.o_proj.weight"])
            h = self.rms(x, w["post_attention_layernorm.weight"])
            x = x + F.linear(F.silu(F.linear(h, w["mlp.gate_proj.weight"]))
                             * F.linear(h, w["mlp.up_proj.weight"]), w["mlp.down_proj.weight"])
        return x

    def next_token(self, hidden_last):
        return int(torch.argmax(F.linear(self.rms(hidden_last, self.norm), self.lm_head)))


def cpu_seconds():
    """CPU time of this process, all threads (CLOCK_PROCESS_CPUTIME_ID; os.times() once went
    2000 s backwards during a 4096-token prefill here)."""
    return time.process_time()


def run(model, ids, decode):
    cache = [None] * model.layers
    with torch.inference_mode():
        c0, t0 = cpu_seconds(), time.perf_counter()
        x = None
        for c0 in range(0, len(ids), CHUNK):
            x = model.forward(ids[c0:c0 + CHUNK], cache, c0)
        nxt = model.next_token(x[-1])
        c1, t1 = cpu_seconds(), time.perf_counter()
        first = nxt
        for i in range(decode):
            x = model.forward(torch.tensor([nxt]), cache, len(ids) + i)
            nxt = model.next_token(x[-1])
        c2, t2 = cpu_seconds(), time.perf_counter()
    return (f"rep tokens={len(ids)} prefill_ms={(t1 - t0) * 1e3:.1f} decode_tokens={decode}"
            f" decode_ms={(t2 - t1) * 1e3:.1f} first={first}"
            f" prefill_cpu_ms={(c1 - c0) * 1e3:.1f} decode_cpu_ms={(c2 - c1) * 1e3:.1f}")


def main(argv):
    if len(argv) != 7:
        sys.exit("usage: torch_qwen2.py MODEL_DIR PROMPT_FILE LENGTHS DECODE_TOKENS REPS THREADS")
    folder, prompt, lengths, decode, reps, threads = argv[1:]
    torch.set_num_threads(int(threads))
    torch.set_num_interop_threads(1)
    allids = torch.from_numpy(np.fromfile(prompt, dtype="<i4").astype(np.int64))
    model = Qwen2(folder)
    print(f"torch {torch.__version__} threads={torch.get_num_threads()}"
          f" sdpa={hasattr(F, 'scaled_dot_product_attention')}", flush=True)
    run(model, allids[:128], 32)         # warm-up: as every engine
    print("warmup done", flush=True)
    reps = [int(r) for r in reps.split(",")]
    for i, n in enumerate(int(x) for x in lengths.split(",")):
        for _ in range(reps[min(i, len(reps) - 1)]):
            print(run(model, allids[:n], int(decode)), flush=True)


if __name__ == "__main__":
    main(sys.argv)
