"""PyTorch CPU peer of reference_network.cpp: the same network, data size,
batch, optimizer and loss, timed the same way (warm-up epochs untimed, then
whole timed epochs), printing samples per second.

    /usr/bin/python3 bench/reference_network.py [--torch-threads 1]
        [--epochs 3] [--sweep] [--likelihood nb|zinb]

--likelihood nb or zinb: the same network on simulated negative binomial
counts (gene means exp(N(0, 1.5)), dispersion 2, as
bench/reference_setup.h draws them), the encoder reading log1p(counts),
the output layer the log mean, a dispersion per gene, and for zinb a
dropout head beside the output layer, scored with scVI's formulas
(scvi.distributions: log_nb_positive, log_zinb_positive), the mean over
all elements as exprae's count likelihoods.

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


def nb_counts(args):
    import torch
    g = torch.Generator().manual_seed(args.seed)
    mean = torch.exp(1.5 * torch.randn(args.features, generator=g))
    rate = torch.distributions.Gamma(2.0, 2.0).sample(
        (args.samples, args.features)) * mean
    return torch.poisson(rate, generator=g)


class CountModel:
    """The reference network with a count likelihood's heads (exprae's
    nn/model.cpp: the output layer gives the log mean, a dispersion per
    gene, and for zinb a dropout head on the last hidden layer)."""

    def __init__(self, features, zinb):
        import torch
        from torch import nn
        layers = list(build(features))
        self.body = nn.Sequential(*layers[:-1])
        self.mean = layers[-1]
        self.dropout = nn.Linear(512, features) if zinb else None
        self.log_theta = nn.Parameter(torch.zeros(features))
        self.modules = nn.ModuleList([self.body, self.mean] +
                                     ([self.dropout] if zinb else []))

    def parameters(self):
        return list(self.modules.parameters()) + [self.log_theta]

    def loss(self, xb):
        import torch
        import torch.nn.functional as F
        eps = 1e-8
        h = self.body(torch.log1p(xb))
        mu = torch.exp(self.mean(h))
        theta = torch.exp(self.log_theta)
        log_theta_mu_eps = torch.log(theta + mu + eps)
        lgammas = (torch.lgamma(xb + theta) - torch.lgamma(theta) -
                   torch.lgamma(xb + 1))
        if self.dropout is None:  # scVI's log_nb_positive
            ll = (theta * (torch.log(theta + eps) - log_theta_mu_eps) +
                  xb * (torch.log(mu + eps) - log_theta_mu_eps) + lgammas)
            return -ll.mean()
        pi = self.dropout(h)  # scVI's log_zinb_positive (logits)
        softplus_pi = F.softplus(-pi)
        pi_theta_log = -pi + theta * (torch.log(theta + eps) -
                                      log_theta_mu_eps)
        case_zero = F.softplus(pi_theta_log) - softplus_pi
        case_non_zero = (-softplus_pi + pi_theta_log +
                         xb * (torch.log(mu + eps) - log_theta_mu_eps) +
                         lgammas)
        ll = (torch.mul((xb < eps).type(torch.float32), case_zero) +
              torch.mul((xb > eps).type(torch.float32), case_non_zero))
        return -ll.mean()


def measure(args):
    import torch
    torch.set_num_threads(args.torch_threads)
    torch.manual_seed(args.seed)
    counts = args.likelihood in ("nb", "zinb")
    if counts:
        x = nb_counts(args)
        model = CountModel(args.features, args.likelihood == "zinb")
        loss_of = model.loss
    else:
        # Samples x features: PyTorch's row-major layout of the same matrix.
        x = torch.rand(args.samples, args.features, dtype=torch.float32)
        model = build(args.features)
        mse = torch.nn.MSELoss()
        loss_of = lambda xb: mse(model(xb), xb)  # noqa: E731
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch():
        perm = torch.randperm(args.samples)
        total = 0.0
        for start in range(0, args.samples, args.batch_size):
            xb = x[perm[start:start + args.batch_size]]
            opt.zero_grad(set_to_none=False)
            loss = loss_of(xb)
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
    print("torch %s%s: torch threads %d, OPENBLAS_NUM_THREADS=%s, batch %d, "
          "%d timed epochs %.2f s, final loss %.4f"
          % (torch.__version__,
             ", " + args.likelihood if counts else "",
             torch.get_num_threads(),
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
    p.add_argument("--likelihood", default="gaussian",
                   choices=["gaussian", "nb", "zinb"])
    p.add_argument("--sweep", action="store_true",
                   help="try torch threads 1/2 x OPENBLAS_NUM_THREADS 1/2")
    args = p.parse_args()
    if args.sweep:
        sweep(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
