"""PyTorch CPU peer of bench/sequence.R: the same two sequence classifiers
on one-hot DNA, the same batch, optimizer and loss, timed the same way
(one untimed warm-up epoch, then whole timed epochs), printing samples per
second as one JSON line.

    /usr/bin/python3 bench/sequence_torch.py --net cnn|gru
        [--torch-threads 1] [--epochs 3] [--samples 4096] [--sweep]
        [--forward] [--params]

The networks (exprae's sequence classifiers end in one linear unit per
class, so the output here is 2 units under CrossEntropyLoss too):

    cnn: conv 64 x 15 same, ReLU, max pool 4, conv 64 x 7 same, ReLU,
         global max pool, dense 32 ReLU, dense 2
    gru: conv 64 x 15 same, ReLU, max pool 4, GRU(32) last state, dense 2

Two thread settings matter: torch.set_num_threads (the intra-op pool that
runs conv1d's mkldnn/native kernels and the elementwise ops) and
OPENBLAS_NUM_THREADS (the GEMMs of the linear and GRU layers; read when
OpenBLAS is loaded, so it must be set before Python starts: --sweep starts
one child process per setting).
"""
import argparse
import json
import os
import subprocess
import sys
import time


def build(net, length):
    import torch
    from torch import nn

    class GRUHead(nn.Module):
        """(n, C, L) conv output -> (n, L, C) -> GRU -> last hidden state."""

        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(64, 32, batch_first=True)

        def forward(self, x):
            _, h_n = self.gru(x.permute(0, 2, 1))
            return h_n[-1]

    # Both networks start the same way: exprae's layer_conv1d() is ReLU
    # with "same" padding by default, and max pool 4 has stride 4.
    stem = [nn.Conv1d(4, 64, 15, padding="same"), nn.ReLU(), nn.MaxPool1d(4)]
    if net == "cnn":
        head = [nn.Conv1d(64, 64, 7, padding="same"), nn.ReLU(),
                nn.AdaptiveMaxPool1d(1), nn.Flatten(),
                nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2)]
    else:
        head = [GRUHead(), nn.Linear(32, 2)]
    model = nn.Sequential(*stem, *head)
    # A shape check that costs nothing: the output is (n, 2) for this length.
    assert model(torch.zeros(1, 4, length)).shape == (1, 2)
    return model


def one_hot_dna(samples, length, generator):
    """Random bases as (samples, 4, length) float32, channels first like
    exprae's encoding of A/C/G/T."""
    import torch
    bases = torch.randint(0, 4, (samples, length), generator=generator)
    x = torch.nn.functional.one_hot(bases, 4).to(torch.float32)
    return x.permute(0, 2, 1).contiguous()


def measure(args):
    import torch
    torch.set_num_threads(args.torch_threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    x = one_hot_dna(args.samples, args.length, gen)
    y = torch.randint(0, 2, (args.samples,), generator=gen)
    model = build(args.net, args.length)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch():
        perm = torch.randperm(args.samples)
        total = 0.0
        for start in range(0, args.samples, args.batch_size):
            idx = perm[start:start + args.batch_size]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=False)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]
        return total / args.samples

    for _ in range(args.warmup):
        epoch()
    t0 = time.perf_counter()
    for _ in range(args.epochs):
        loss = epoch()
    sec = time.perf_counter() - t0
    out = {"framework": "torch", "version": torch.__version__,
           "net": args.net, "params": params,
           "torch_threads": torch.get_num_threads(),
           "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS",
                                              "unset"),
           "samples": args.samples, "batch": args.batch_size,
           "epochs": args.epochs, "seconds": round(sec, 3),
           "loss": round(loss, 4),
           "samples_per_s": round(args.epochs * args.samples / sec, 1)}
    if args.forward:
        out["forward_samples_per_s"] = round(forward_rate(model, x, args), 1)
    print(json.dumps(out), flush=True)
    return out


def forward_rate(model, x, args):
    """Inference only (no autograd), in batches of --batch-size: the
    counterpart of timing exprae's predict(), to tell forward from
    backward cost."""
    import torch
    model.eval()
    with torch.no_grad():
        model(x[:args.batch_size])  # warm-up
        t0 = time.perf_counter()
        for start in range(0, args.samples, args.batch_size):
            model(x[start:start + args.batch_size])
        sec = time.perf_counter() - t0
    model.train()
    return args.samples / sec


def sweep(args):
    """Runs every setting in its own process, since OPENBLAS_NUM_THREADS is
    read at import; prints the best last as the result line."""
    best = None
    for blas in (1, 2):
        for threads in (1, 2):
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(blas))
            cmd = [sys.executable, os.path.abspath(__file__),
                   "--net", args.net,
                   "--torch-threads", str(threads),
                   "--epochs", str(args.epochs),
                   "--warmup", str(args.warmup),
                   "--batch-size", str(args.batch_size),
                   "--samples", str(args.samples),
                   "--length", str(args.length),
                   "--seed", str(args.seed)]
            out = subprocess.run(cmd, env=env, check=True, text=True,
                                 capture_output=True).stdout
            res = json.loads(out.strip().splitlines()[-1])
            print("sweep %s: OPENBLAS_NUM_THREADS=%d torch threads %d: "
                  "%.0f samples/s" % (args.net, blas, threads,
                                      res["samples_per_s"]),
                  file=sys.stderr, flush=True)
            if best is None or res["samples_per_s"] > best["samples_per_s"]:
                best = res
    best["sweep"] = True
    print(json.dumps(best), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--net", choices=("cnn", "gru"), default="cnn")
    p.add_argument("--torch-threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--samples", type=int, default=4096)
    p.add_argument("--length", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--forward", action="store_true",
                   help="also time inference alone (forward, no autograd)")
    p.add_argument("--params", action="store_true",
                   help="print the parameter count and exit")
    p.add_argument("--sweep", action="store_true",
                   help="try torch threads 1/2 x OPENBLAS_NUM_THREADS 1/2")
    args = p.parse_args()
    if args.params:
        model = build(args.net, args.length)
        print(json.dumps({"net": args.net, "params": sum(
            q.numel() for q in model.parameters())}))
    elif args.sweep:
        sweep(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
