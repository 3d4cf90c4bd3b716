"""CPython asyncio (and MicroPython) twins of coop's benchmarks (package bench).

Each workload does the same work as the Go one of the same name, op for op,
and counts the awaits its tasks made, so the harness can check that both
sides did the same work. Only the workload is timed: the event loop's setup
and teardown are not.

Run: python3 bench/asyncio_bench.py NAME=N [NAME=N ...]
Prints one line per workload:

    NAME <ops> <wall ns/op> <cpu ns/op> <awaits/op>

for Memory=N, the bytes held per idle task among N: "Memory N <bytes>";
for the real-clock latency workloads (Timers10k, Ticker1ms, Ticker1msBusy),
how late each wake-up came after its deadline, in ns, in the order of the
deadlines: "NAME latency <ns> <ns> ...";
and for Tasks1M=N, the cost of creating N tasks and running each to its
wait: "Tasks1M spawn N <wall ns/task> <cpu ns/task> <bytes/task>";

and a first line "python <implementation> <version>". `coop bench --asyncio`
runs it, interleaved with the Go side, several times.
"""

import gc
import sys
import time

try:
    import asyncio
except ImportError:  # MicroPython
    import uasyncio as asyncio

try:
    import threading
except ImportError:
    threading = None


def clocks():
    """Wall and CPU time in ns (CPU time is 0 where it cannot be read)."""
    if hasattr(time, "perf_counter_ns"):
        return time.perf_counter_ns(), time.process_time_ns()
    # MicroPython's unix port: its ticks wrap within minutes, time_ns does
    # not; no CPU clock, so the kernel's count for this thread, the only
    # one that runs a workload.
    return time.time_ns(), thread_cpu_ns()


def thread_cpu_ns():
    """The CPU time this thread has run, ns, from Linux's
    /proc/self/schedstat, or 0 where there is no such file."""
    try:
        with open("/proc/self/schedstat") as f:
            return int(f.read().split()[0])
    except OSError:
        return 0


async def spawn_wait(n):
    async def child():
        return None

    for _ in range(n):
        await asyncio.create_task(child())
    return 2 * n  # the child's one step and the await that resumes main


async def yield_(n):
    stop = False
    count = 0

    async def other():
        nonlocal count
        while not stop:
            await asyncio.sleep(0)
            count += 1

    t = asyncio.create_task(other())
    await asyncio.sleep(0)  # other starts, as in Go where it runs first
    count = 0
    for _ in range(n):
        await asyncio.sleep(0)
    stop = True
    awaits = n + count
    await t
    return awaits


async def event_ping_pong(n):
    ping, pong = asyncio.Event(), asyncio.Event()
    count = 0

    async def ponger():
        nonlocal count
        while True:
            await ping.wait()
            count += 1
            ping.clear()
            pong.set()

    t = asyncio.create_task(ponger())
    for _ in range(n):
        ping.set()
        await pong.wait()
        count += 1
        pong.clear()
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        pass
    return count


async def queue(n):
    q = asyncio.Queue(16)
    count = 0

    async def consumer():
        nonlocal count
        while True:
            v = await q.get()
            count += 1
            if v < 0:
                return

    t = asyncio.create_task(consumer())
    for _ in range(n):
        await q.put(1)
        count += 1
    await q.put(-1)
    await t
    return count - 1  # the end marker is not an op


async def queue_ping_pong(n):
    there, back = asyncio.Queue(1), asyncio.Queue(1)
    count = 0

    async def echo():
        nonlocal count
        while True:
            v = await there.get()
            count += 1
            if v < 0:
                return
            await back.put(v)
            count += 1

    t = asyncio.create_task(echo())
    for i in range(n):
        await there.put(i)
        count += 1
        await back.get()
        count += 1
    await there.put(-1)
    await t
    return count - 1  # the end marker's get is not an op


async def gather_1000(n):
    async def body():
        await asyncio.sleep(0)

    for _ in range(n):
        await asyncio.gather(*[asyncio.create_task(body()) for _ in range(1000)])
    return n * 1000


async def cross_thread_wake(n):
    loop = asyncio.get_running_loop()
    flag = asyncio.Event()
    ack = threading.Semaphore(0)
    count = 0

    def poke():
        for _ in range(n):
            loop.call_soon_threadsafe(flag.set)
            ack.acquire()

    th = threading.Thread(target=poke)
    th.start()
    for _ in range(n):
        await flag.wait()
        flag.clear()
        count += 1
        ack.release()
    th.join()
    return count


async def cross_thread_wake_micropython(n):
    """cross_thread_wake as MicroPython writes it: the thread sets a
    ThreadSafeFlag, and locks stand in for the semaphore and the join."""
    import _thread

    flag = asyncio.ThreadSafeFlag()
    ack, done = _thread.allocate_lock(), _thread.allocate_lock()
    ack.acquire()
    done.acquire()
    count = 0

    def poke():
        for _ in range(n):
            flag.set()
            ack.acquire()  # until the task releases it
        done.release()

    _thread.start_new_thread(poke, ())
    for _ in range(n):
        await flag.wait()
        count += 1
        ack.release()
    done.acquire()
    return count


async def memory(n):
    """Bytes held per idle task: n tasks each waiting on one event."""
    ev = asyncio.Event()

    async def idle():
        await ev.wait()

    try:
        import tracemalloc
    except ImportError:  # MicroPython
        tracemalloc = None
    if tracemalloc:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        measure = lambda: tracemalloc.get_traced_memory()[0]
    else:
        gc.collect()
        before = gc.mem_alloc()
        measure = lambda: (gc.collect(), gc.mem_alloc())[1]
    try:
        tasks = [asyncio.create_task(idle()) for _ in range(n)]
        await asyncio.sleep(0)  # every task runs to its wait
        held = measure() - before
    finally:
        if tracemalloc:
            # Tracing makes every later allocation about three times
            # dearer: a workload timed after it would be slowed down.
            tracemalloc.stop()
    ev.set()
    await asyncio.gather(*tasks)
    return held / n


def check_untraced():
    """Refuses to time a workload while tracemalloc traces allocations."""
    tm = sys.modules.get("tracemalloc")
    if tm and tm.is_tracing():
        raise RuntimeError("tracemalloc is still tracing: a timed workload would run about three times slower")


# The latency workloads' shapes, the same as bench/latency.go's.
TIMER_SPACING = 50e-6  # s between two tasks' deadlines in Timers10k
TIMER_LEAD_PER_TASK = 10e-6  # s of lead per task before the first deadline,
TIMER_LEAD = 10e-3  # and this much more: time to start the tasks
TICK = 1e-3  # Ticker1ms's period, s
BUSY = 200e-6  # the busy neighbour's step, s


async def sleep_until(loop, when):
    """Wake at loop time when, as coop's SleepUntil: one await of a future
    that loop.call_at resolves (what asyncio.sleep does for now + delay)."""
    fut = loop.create_future()
    h = loop.call_at(when, fut.set_result, None)
    try:
        await fut
    finally:
        h.cancel()


async def timers(n):
    """n tasks each sleep until its own deadline, spread evenly after a
    lead; returns each task's lateness, s."""
    loop = asyncio.get_running_loop()
    late = [0.0] * n
    base = 0.0

    async def sleeper(i):
        deadline = base + (i + 1) * TIMER_SPACING
        await sleep_until(loop, deadline)
        late[i] = loop.time() - deadline

    tasks = [asyncio.create_task(sleeper(i)) for i in range(n)]
    base = loop.time() + TIMER_LEAD + n * TIMER_LEAD_PER_TASK
    await asyncio.gather(*tasks)
    return late


async def ticker(n, busy):
    """One task wakes at start + k*TICK for k = 1..n, beside a neighbour
    that busy-waits BUSY then yields, in a loop, if busy; returns each
    tick's error, s."""
    loop = asyncio.get_running_loop()
    stop = False

    async def neighbour():
        while not stop:
            s = time.perf_counter()
            while time.perf_counter() - s < BUSY:
                pass
            await asyncio.sleep(0)

    t = asyncio.create_task(neighbour()) if busy else None
    late = []
    start = loop.time()
    for k in range(1, n + 1):
        deadline = start + k * TICK
        await sleep_until(loop, deadline)
        late.append(loop.time() - deadline)
    stop = True
    if t is not None:
        await t
    return late


LATENCY = {
    "Timers10k": lambda n: timers(n),
    "Ticker1ms": lambda n: ticker(n, False),
    "Ticker1msBusy": lambda n: ticker(n, True),
}


def resident():
    """The process's resident memory, bytes (Linux: /proc/self/statm)."""
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def tasks(n):
    """Create n tasks each waiting on one event, run them to their wait,
    then set the event and let them finish. Returns the wall and CPU time
    of creating and starting them, ns, and the resident memory they added,
    bytes."""
    ev = asyncio.Event()

    async def idle():
        await ev.wait()

    check_untraced()
    before = resident()
    wall0, cpu0 = clocks()
    ts = [asyncio.create_task(idle()) for _ in range(n)]
    await asyncio.sleep(0)  # every task runs to its wait
    wall1, cpu1 = clocks()
    held = resident() - before
    ev.set()
    await asyncio.gather(*ts)
    return wall1 - wall0, cpu1 - cpu0, held


WORKLOADS = {
    "SpawnWait": spawn_wait,
    "Yield": yield_,
    "EventPingPong": event_ping_pong,
    "Queue": queue,
    "QueuePingPong": queue_ping_pong,
    "Gather1000": gather_1000,
    "CrossThreadWake": cross_thread_wake,
}


async def timed(fn, n):
    check_untraced()
    wall0, cpu0 = clocks()
    awaits = await fn(n)
    wall1, cpu1 = clocks()
    return wall1 - wall0, cpu1 - cpu0, awaits


def main():
    impl = getattr(sys, "implementation", None)
    name = impl.name if impl else "python"
    if name == "micropython":  # its sys.version is the language's, 3.4.0
        version = ".".join(str(x) for x in impl.version[:3])
    else:
        version = sys.version.split()[0]
    print("python", name, version)
    for arg in sys.argv[1:]:
        wl, n = arg.split("=")
        n = int(n)
        if wl == "Memory":
            print(wl, n, asyncio.run(memory(n)))
            continue
        if wl in LATENCY or wl == "Tasks1M":
            if not hasattr(asyncio, "get_running_loop") or not hasattr(sys, "implementation") or sys.implementation.name != "cpython":
                print(wl, "unsupported")  # needs loop.time, call_at, /proc
                continue
            gc.collect()  # as the Go side collects before it: both start clean
            if wl == "Tasks1M":
                wall, cpu, held = asyncio.run(tasks(n))
                print(wl, "spawn", n, wall / n, cpu / n, held / n)
            else:
                check_untraced()
                late = asyncio.run(LATENCY[wl](n))
                print(wl, "latency", *(round(x * 1e9) for x in late))
            continue
        fn = WORKLOADS.get(wl)
        if wl == "CrossThreadWake" and threading is None and hasattr(asyncio, "ThreadSafeFlag"):
            fn = cross_thread_wake_micropython
        if fn is None or (wl in ("Queue", "QueuePingPong") and not hasattr(asyncio, "Queue")):
            # MicroPython's asyncio has no Queue
            print(wl, "unsupported")
            continue
        wall, cpu, awaits = asyncio.run(timed(fn, n))
        if fn is cross_thread_wake_micropython:
            cpu = 0  # schedstat counts this thread only: the other's CPU time is not known
        print(wl, n, wall / n, cpu / n, awaits / n)


if __name__ == "__main__":
    main()
