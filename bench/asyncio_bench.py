"""CPython asyncio twins of coop's benchmarks (bench_test.go).

Each benchmark does the same work as the Go one of the same name and prints
one line in `go test -bench` format, so the two can be read side by side:

    BenchmarkYield  <N>  <ns> ns/op

Run: python3 bench/asyncio_bench.py [seconds-per-benchmark]
"""

import asyncio
import sys
import time

TARGET = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


async def spawn_wait(n):
    async def child():
        return None

    for _ in range(n):
        await asyncio.create_task(child())


async def yield_(n):
    stop = False

    async def other():
        while not stop:
            await asyncio.sleep(0)

    t = asyncio.create_task(other())
    for _ in range(n):
        await asyncio.sleep(0)
    stop = True
    await t


async def event_ping_pong(n):
    ping, pong = asyncio.Event(), asyncio.Event()

    async def ponger():
        while True:
            await ping.wait()
            ping.clear()
            pong.set()

    t = asyncio.create_task(ponger())
    for _ in range(n):
        ping.set()
        await pong.wait()
        pong.clear()
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        pass


async def queue(n):
    q = asyncio.Queue(16)

    async def consumer():
        while True:
            v = await q.get()
            if v < 0:
                return

    t = asyncio.create_task(consumer())
    for _ in range(n):
        await q.put(1)
    await q.put(-1)
    await t


async def gather_1000(n):
    async def body():
        await asyncio.sleep(0)

    for _ in range(n):
        await asyncio.gather(*(asyncio.create_task(body()) for _ in range(1000)))


BENCHMARKS = [
    ("BenchmarkSpawnWait", spawn_wait),
    ("BenchmarkYield", yield_),
    ("BenchmarkEventPingPong", event_ping_pong),
    ("BenchmarkQueue", queue),
    ("BenchmarkGather1000", gather_1000),
]


def measure(fn):
    """Grow n until a run takes TARGET seconds, like testing.B."""
    n = 1
    while True:
        start = time.perf_counter()
        asyncio.run(fn(n))
        took = time.perf_counter() - start
        if took >= TARGET or n >= 1 << 30:
            return n, took
        n = max(n + 1, min(int(n * TARGET / max(took, 1e-9) * 1.2), 100 * n))


def main():
    print(f"cpython: {sys.version.split()[0]}")
    for name, fn in BENCHMARKS:
        n, took = measure(fn)
        print(f"{name}\t{n}\t{took / n * 1e9:.1f} ns/op", flush=True)


if __name__ == "__main__":
    main()
