import { describe, expect, it } from 'vitest';
import { dynamic } from '../../detectors/dynamic.js';
import { py, run, signals } from '../helpers.js';

describe('dynamic detector', () => {
  it('sees a plugin loader: importlib, computed getattr, eval and **kwargs forwarding', async () => {
    const ev = await run(dynamic, py`
      import importlib

      def load(name, **options):
          mod = importlib.import_module("plugins." + name)
          factory = getattr(mod, "make_" + name)
          rule = eval(options.pop("rule", "None"))
          return factory(rule, **options)

      def has_plugin(mod):
          return hasattr(mod, "make")
    `);
    expect(signals(ev)).toEqual(['eval-exec', 'kwargs-passthrough', 'plugin-loading', 'reflection']);
    expect(ev.find((e) => e.signal === 'reflection')).toMatchObject({ value: 1, line: 5, function: 'load' });
    expect(ev.find((e) => e.signal === 'kwargs-passthrough')).toMatchObject({ value: 1, line: 3 });
  });

  it('sees metaclasses, 3-argument type(), attribute hooks, globals() and monkey-patching', async () => {
    const ev = await run(dynamic, py`
      import json

      class Registry(type):
          def __new__(mcs, name, bases, ns):
              return super().__new__(mcs, name, bases, ns)

      class Model(metaclass=Registry):
          def __getattr__(self, item):
              return self.__dict__["_data"][item]

      Point = type("Point", (object,), {"x": 0})
      json.dumps = lambda obj: "{}"

      def export():
          return {k: v for k, v in globals().items() if not k.startswith("_")}
    `);
    expect(signals(ev)).toEqual(['attribute-hooks', 'dynamic-type', 'metaclass', 'monkey-patch', 'scope-introspection']);
    expect(ev.find((e) => e.signal === 'metaclass')).toMatchObject({ value: 2, line: 3 });
    expect(ev.find((e) => e.signal === 'monkey-patch')!.line).toBe(12);
    expect(ev.find((e) => e.signal === 'dynamic-type')!.line).toBe(11);
  });

  it('counts heavy decorator stacks but not property/staticmethod machinery', async () => {
    const ev = await run(dynamic, py`
      import functools

      class Api:
          @property
          def name(self):
              return "api"

          @staticmethod
          @functools.lru_cache(maxsize=None)
          def lookup(key):
              return key

      @retry(times=3)
      @trace
      @authorised("admin")
      @functools.lru_cache
      def handler(request):
          return request
    `);
    expect(signals(ev)).toEqual(['decorator-stack']);
    expect(ev[0]).toMatchObject({ value: 4, function: 'handler', line: 17 });
  });

  it('reports nothing for static attribute access and ordinary classes', async () => {
    const ev = await run(dynamic, py`
      class Point:
          def __init__(self, x, y):
              self.x = x
              self.y = y

          def norm(self):
              return (getattr(self, "x") ** 2 + self.y ** 2) ** 0.5

      def describe(p, **kwargs):
          print(type(p).__name__, kwargs)
    `);
    expect(ev).toEqual([]);
  });
});
