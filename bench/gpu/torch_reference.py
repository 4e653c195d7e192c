"""GPU side of the benchmark, in PyTorch (no R on the GPU machine):

  reference  the reference network trained in PyTorch eager on the GPU,
             timed like bench/build/reference_network --device cuda (1
             warm-up epoch, then whole timed epochs; the data on the GPU,
             a shuffled minibatch per step, the loss summed on the device
             and read once per epoch, as the engine does)
  ceilings   the GPU's measured ceilings: cuBLAS SGEMM (float32 and TF32)
             through torch.matmul, device-to-device copy bandwidth (bytes
             read + written) and pinned host-to-device bandwidth

Each prints RESULT lines that bench/gpu/run.sh collects.

    python3 bench/gpu/torch_reference.py reference --batch-size 256
    python3 bench/gpu/torch_reference.py ceilings
"""
import argparse
import os
import statistics
import sys
import time

import torch

# The network itself is the CPU peer's (bench/reference_network.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from reference_network import build  # noqa: E402


def reference(args):
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.manual_seed(args.seed)
    x = torch.rand(args.samples, args.features, device="cuda")
    model = build(args.features).cuda()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()

    def epoch():
        perm = torch.randperm(args.samples, device="cuda")
        total = torch.zeros((), device="cuda")
        for start in range(0, args.samples, args.batch_size):
            xb = x[perm[start:start + args.batch_size]]
            opt.zero_grad(set_to_none=False)
            loss = loss_fn(model(xb), xb)
            loss.backward()
            opt.step()
            total += loss.detach() * xb.shape[0]
        return total.item() / args.samples  # the one sync of an epoch

    for _ in range(args.warmup):
        epoch()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(args.epochs):
        loss = epoch()
    torch.cuda.synchronize()
    sec = time.perf_counter() - t0
    print("torch %s eager on %s: batch %d, tf32 %s, %d timed epochs %.3f s,"
          " final loss %.4f" % (torch.__version__,
                                torch.cuda.get_device_name(),
                                args.batch_size, args.tf32, args.epochs, sec,
                                loss))
    print("RESULT torch samples_per_s=%.1f" % (args.epochs * args.samples /
                                               sec))


def timed(fn, repeats=20):
    """Median milliseconds of fn() by CUDA events, after a warm-up."""
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        torch.cuda.synchronize()
        times.append(a.elapsed_time(b))
    return statistics.median(times)


def ceilings(args):
    n = args.gemm_size
    a = torch.randn(n, n, device="cuda")
    b = torch.randn(n, n, device="cuda")
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        ms = timed(lambda: torch.matmul(a, b))
        name = "tf32" if tf32 else "sgemm"
        print("RESULT %s tflops=%.2f" % (name, 2.0 * n ** 3 / ms / 1e9))
    src = torch.empty(256 * 2 ** 20, device="cuda")  # 1 GiB of floats
    dst = torch.empty_like(src)
    ms = timed(lambda: dst.copy_(src))
    print("RESULT d2d gbps=%.1f" % (2 * src.numel() * 4 / ms / 1e6))
    host = torch.empty(64 * 2 ** 20).pin_memory()  # 256 MiB
    dev = torch.empty(64 * 2 ** 20, device="cuda")
    ms = timed(lambda: dev.copy_(host, non_blocking=True))
    print("RESULT h2d gbps=%.1f" % (host.numel() * 4 / ms / 1e6))
    print("RESULT gpu name=%s" % torch.cuda.get_device_name().replace(" ",
                                                                       "_"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("what", choices=["reference", "ceilings"])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--features", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tf32", action="store_true")
    p.add_argument("--gemm-size", type=int, default=8192)
    args = p.parse_args()
    reference(args) if args.what == "reference" else ceilings(args)


if __name__ == "__main__":
    main()
