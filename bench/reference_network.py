"""PyTorch CPU peer of reference_network.cpp: the same network, data size,
batch, optimizer and loss, timed the same way (warm-up epochs untimed, then
whole timed epochs), printing samples per second.

    /usr/bin/python3 bench/reference_network.py [--torch-threads 1]
        [--epochs 3] [--sweep]

PyTorch's CPU linear layers call the BLAS it was built with (OpenBLAS on
Debian), so two thread settings matter: torch.set_num_threads (its own
OpenMP pool, used by elementwise ops and the optimizer) and
OPENBLAS_NUM_THREADS (read by OpenBLAS when it is loaded, so it must be set
before Python starts; --sweep starts one child process per setting).
"""
import argparse
import os
import subprocess
import sys
import time


def build(features):
    from torch import nn
    # Encoder features-512-128-32, mirrored decoder; ReLU on the hidden
    # layers, linear latent and output layers.
    return nn.Sequential(
        nn.Linear(features, 512), nn.ReLU(),
        nn.Linear(512, 128), nn.ReLU(),
        nn.Linear(128, 32),
        nn.Linear(32, 128), nn.ReLU(),
        nn.Linear(128, 512), nn.ReLU(),
        nn.Linear(512, features))


def measure(args):
    import torch
    torch.set_num_threads(args.torch_threads)
    torch.manual_seed(args.seed)
    # Samples x features: PyTorch's row-major layout of the same matrix.
    x = torch.rand(args.samples, args.features, dtype=torch.float32)
    model = build(args.features)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()

    def epoch():
        perm = torch.randperm(args.samples)
        total = 0.0
        for start in range(0, args.samples, args.batch_size):
            xb = x[perm[start:start + args.batch_size]]
            opt.zero_grad(set_to_none=False)
            loss = loss_fn(model(xb), xb)
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
    rate = args.epochs * args.samples / sec
    print("torch %s: torch threads %d, OPENBLAS_NUM_THREADS=%s, batch %d, "
          "%d timed epochs %.2f s, final loss %.4f"
          % (torch.__version__, torch.get_num_threads(),
             os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
             args.batch_size, args.epochs, sec, loss))
    print("RESULT torch samples_per_s=%.1f" % rate)
    return rate


def sweep(args):
    """Runs every setting in its own process; prints the best last."""
    best = None
    for blas in (1, 2):
        for threads in (1, 2):
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(blas))
            cmd = [sys.executable, os.path.abspath(__file__),
                   "--torch-threads", str(threads),
                   "--epochs", str(args.epochs),
                   "--warmup", str(args.warmup),
                   "--batch-size", str(args.batch_size),
                   "--samples", str(args.samples),
                   "--features", str(args.features)]
            out = subprocess.run(cmd, env=env, check=True, text=True,
                                 capture_output=True).stdout
            rate = float(out.split("samples_per_s=")[1].split()[0])
            print("sweep: OPENBLAS_NUM_THREADS=%d torch threads %d: "
                  "%.0f samples/s" % (blas, threads, rate), flush=True)
            if best is None or rate > best[0]:
                best = (rate, blas, threads)
    print("best: OPENBLAS_NUM_THREADS=%d torch threads %d" % best[1:])
    print("RESULT torch samples_per_s=%.1f" % best[0])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--torch-threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--features", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sweep", action="store_true",
                   help="try torch threads 1/2 x OPENBLAS_NUM_THREADS 1/2")
    args = p.parse_args()
    if args.sweep:
        sweep(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
