"""CPython asyncio (and MicroPython) twins of coop's benchmarks (package bench).

Each workload does the same work as the Go one of the same name, op for op,
and counts the awaits its tasks made, so the harness can check that both
sides did the same work. Only the workload is timed: the event loop's setup
and teardown are not.

Run: python3 bench/asyncio_bench.py NAME=N [NAME=N ...]
Prints one line per workload:

    NAME <ops> <wall ns/op> <cpu ns/op> <awaits/op>

and for Memory=N, the bytes held per idle task among N: "Memory N <bytes>".

and a first line "python <implementation> <version>". `coop bench --asyncio`
runs it, interleaved with the Go side, several times.
"""

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
    wall = time.perf_counter_ns() if hasattr(time, "perf_counter_ns") else time.ticks_us() * 1000
    cpu = time.process_time_ns() if hasattr(time, "process_time_ns") else 0
    return wall, cpu


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


async def memory(n):
    """Bytes held per idle task: n tasks each waiting on one event."""
    ev = asyncio.Event()

    async def idle():
        await ev.wait()

    try:
        import tracemalloc

        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        measure = lambda: tracemalloc.get_traced_memory()[0]
    except ImportError:  # MicroPython
        import gc

        gc.collect()
        before = gc.mem_alloc()
        measure = lambda: (gc.collect(), gc.mem_alloc())[1]
    tasks = [asyncio.create_task(idle()) for _ in range(n)]
    await asyncio.sleep(0)  # every task runs to its wait
    held = measure() - before
    ev.set()
    await asyncio.gather(*tasks)
    return held / n


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
    wall0, cpu0 = clocks()
    awaits = await fn(n)
    wall1, cpu1 = clocks()
    return wall1 - wall0, cpu1 - cpu0, awaits


def main():
    impl = getattr(sys, "implementation", None)
    name = impl.name if impl else "python"
    print("python", name, sys.version.split()[0])
    for arg in sys.argv[1:]:
        wl, n = arg.split("=")
        n = int(n)
        if wl == "Memory":
            print(wl, n, asyncio.run(memory(n)))
            continue
        fn = WORKLOADS.get(wl)
        if fn is None or (wl == "CrossThreadWake" and threading is None):
            print(wl, "unsupported")
            continue
        wall, cpu, awaits = asyncio.run(timed(fn, n))
        print(wl, n, wall / n, cpu / n, awaits / n)


if __name__ == "__main__":
    main()
