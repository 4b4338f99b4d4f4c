import { describe, expect, it } from 'vitest';
import { ioGlue } from '../../detectors/io-glue.js';
import { py, run, signals } from '../helpers.js';

describe('io-glue detector', () => {
  it('sees a CLI program: argparse, logging through a logger, subprocess, files, env and __main__', async () => {
    const ev = await run(ioGlue, py`
      import argparse
      import logging
      import os
      import subprocess
      from pathlib import Path

      log = logging.getLogger(__name__)

      def main():
          parser = argparse.ArgumentParser()
          parser.add_argument("target")
          args = parser.parse_args()
          token = os.environ.get("TOKEN")
          log.info("building %s", args.target)
          subprocess.run(["make", args.target], check=True)
          Path("out.txt").write_text(token or "")
          with open("build.log") as fh:
              print(fh.read())

      if __name__ == "__main__":
          main()
    `);
    expect(signals(ev)).toEqual(['cli', 'config', 'entry-point', 'file-io', 'logging', 'subprocess']);
    expect(ev.find((e) => e.signal === 'cli')).toMatchObject({ line: 10, value: 3, function: 'main' });
    expect(ev.find((e) => e.signal === 'logging')).toMatchObject({ line: 7, value: 2 });
    expect(ev.find((e) => e.signal === 'entry-point')).toMatchObject({ line: 20, value: 1 });
    expect(ev.find((e) => e.signal === 'subprocess')!.line).toBe(15);
  });

  it('sees click commands by their decorators', async () => {
    const ev = await run(ioGlue, py`
      import click

      @click.command()
      @click.option("--count", default=1)
      def hello(count):
          click.echo("hi" * count)
    `);
    expect(ev.find((e) => e.signal === 'cli')).toMatchObject({ value: 3, line: 3 });
  });

  it('separates database clients from HTTP clients', async () => {
    const ev = await run(ioGlue, py`
      import psycopg2
      import requests

      session = requests.Session()

      def sync(dsn, url):
          conn = psycopg2.connect(dsn)
          cur = conn.cursor()
          cur.execute("select id from items")
          rows = cur.fetchall()
          resp = session.post(url, json=rows)
          resp.raise_for_status()
          conn.commit()
    `);
    expect(ev.find((e) => e.signal === 'db-client')).toMatchObject({ value: 5, line: 7 });
    expect(ev.find((e) => e.signal === 'http-client')).toMatchObject({ value: 2, line: 4 });
  });

  it('reports nothing for a pure computation', async () => {
    const ev = await run(ioGlue, py`
      def dot(a, b):
          total = 0.0
          for x, y in zip(a, b):
              total += x * y
          return total
    `);
    expect(ev).toEqual([]);
  });

  it('does not take a local method named like a logger call for logging', async () => {
    const ev = await run(ioGlue, py`
      class Report:
          def info(self):
              return {"rows": 3}

      def summary(report):
          return report.info()
    `);
    expect(ev).toEqual([]);
  });
});
