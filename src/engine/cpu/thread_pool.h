// The engine's worker threads: parallel_for (cpu/parallel.h) runs its parts
// here instead of in an OpenMP parallel region.
//
// Why not OpenMP: at the end of a parallel region every thread of the team
// must arrive, and a thread waiting there spins. When another process
// holds one of the cores (an R session beside a busy machine, a second
// job), the thread that lost its core reaches the barrier a scheduler
// time slice late at every region: the reference network ran at 1,072
// samples/s on two threads against 3,960 on one with a single core busy
// (and 13,979 on two on a quiet machine). Here the calling thread claims
// the parts no worker has claimed yet and waits only for parts in
// progress, so a worker without a core costs nothing; an idle worker spins
// for a short time (new work usually follows at once) and then sleeps.
//
// Parts are fixed by the caller (one per requested thread), so results do
// not depend on which thread ran which part: a fit stays reproducible for
// a given thread count however busy the machine is.
#pragma once

namespace exprae {
namespace cpu {

// Calls part(ctx, p) for every p in [0, parts), each exactly once, on the
// calling thread and up to `workers` pool threads (started on first use),
// and returns when every call has returned. An exception thrown by a part
// is rethrown here (the first one; the other parts still run).
void run_parts(int parts, int workers, void (*part)(void*, int), void* ctx);

}  // namespace cpu
}  // namespace exprae
