import { describe, expect, it } from 'vitest';
import { concurrency } from '../../detectors/concurrency.js';
import { py, run, signals } from '../helpers.js';

describe('concurrency detector', () => {
  it('sees threads whose target is a scalar loop (CPU work the GIL serialises) and the lock they share', async () => {
    const ev = await run(concurrency, py`
      import threading

      totals = {}
      lock = threading.Lock()

      def crunch(rows, key):
          acc = 0
          for r in rows:
              acc += (r * 31 + 7) % 1009
          with lock:
              totals[key] = acc

      def run_all(chunks):
          workers = [threading.Thread(target=crunch, args=(c, i)) for i, c in enumerate(chunks)]
          for w in workers:
              w.start()
          for w in workers:
              w.join()
    `);
    expect(signals(ev)).toEqual(['locks', 'thread-cpu-work', 'threads']);
    expect(ev.find((e) => e.signal === 'threads')).toMatchObject({ line: 14, value: 1, function: 'run_all' });
    expect(ev.find((e) => e.signal === 'thread-cpu-work')!.value).toBeGreaterThanOrEqual(5);
    expect(ev.find((e) => e.signal === 'locks')!.line).toBe(4);
  });

  it('threads that only wait on I/O are threads, not CPU work', async () => {
    const ev = await run(concurrency, py`
      from concurrent.futures import ThreadPoolExecutor
      import urllib.request

      def fetch(url):
          with urllib.request.urlopen(url) as resp:
              return resp.read()

      def fetch_all(urls):
          with ThreadPoolExecutor(max_workers=8) as pool:
              return list(pool.map(fetch, urls))
    `);
    expect(signals(ev)).toEqual(['threads']);
    expect(ev[0].value).toBe(2);
  });

  it('sees processes used to escape the GIL, through a context and a Process subclass', async () => {
    const ev = await run(concurrency, py`
      import multiprocessing as mp
      from concurrent.futures import ProcessPoolExecutor

      class Renderer(mp.Process):
          def run(self):
              pass

      def render(tiles):
          ctx = mp.get_context("spawn")
          with ctx.Pool(4) as pool:
              pool.map(str, tiles)
          with ProcessPoolExecutor() as ex:
              ex.submit(len, tiles)
    `);
    expect(signals(ev)).toEqual(['process-pool']);
    expect(ev[0]).toMatchObject({ line: 4, value: 5 });
  });

  it('counts asyncio coroutines and asyncio primitives', async () => {
    const ev = await run(concurrency, py`
      import asyncio

      async def worker(queue):
          while True:
              item = await queue.get()
              queue.task_done()

      async def main():
          queue = asyncio.Queue()
          tasks = [asyncio.create_task(worker(queue)) for _ in range(3)]
          await queue.join()

      asyncio.run(main())
    `);
    expect(signals(ev)).toEqual(['asyncio', 'locks']);
    expect(ev.find((e) => e.signal === 'asyncio')).toMatchObject({ line: 3, value: 4 });
  });

  it('reports nothing for sequential code that merely has a run() method', async () => {
    const ev = await run(concurrency, py`
      class Job:
          def run(self, items):
              return [i * 2 for i in items]
    `);
    expect(ev).toEqual([]);
  });
});
