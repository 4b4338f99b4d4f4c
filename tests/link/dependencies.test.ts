import { describe, expect, it } from 'vitest';
import { moduleDependencies, RUST_COUNTERPARTS } from '../../src/link/dependencies.js';
import { factsOf } from '../../src/profile.js';
import { py } from '../helpers.js';

const importsOf = async (src: string) => (await factsOf(src)).imports;

describe('Rust counterparts of a module\'s dependencies', () => {
  it('maps the packages the issue names', () => {
    expect(RUST_COUNTERPARTS.requests.crates).toContain('reqwest');
    expect(RUST_COUNTERPARTS.numpy.crates).toContain('ndarray');
    expect(RUST_COUNTERPARTS.pandas.crates).toContain('polars');
    expect(RUST_COUNTERPARTS.flask.crates).toContain('axum');
    expect(RUST_COUNTERPARTS.fastapi.crates).toContain('axum');
    expect(RUST_COUNTERPARTS.pydantic.crates).toContain('serde');
    expect(RUST_COUNTERPARTS.regex.crates).toContain('regex');
    expect(RUST_COUNTERPARTS.django.kind).toBe('none');
    for (const [name, entry] of Object.entries(RUST_COUNTERPARTS)) {
      expect(entry.dist.length, name).toBeGreaterThan(0);
      if (entry.kind === 'equivalent' || entry.kind === 'partial') expect(entry.crates.length, name).toBeGreaterThan(0);
    }
  });

  it('skips the standard library and the repo\'s own packages, and reports the share with a counterpart', async () => {
    const { deps, evidence } = moduleDependencies(await importsOf(py`
      import os, json
      from collections import defaultdict
      import requests
      from django.db import models
      import numpy as np
      from shopfront.models import Order
      from . import utils
      import frobnicate.core
    `), new Set(['shopfront']));
    expect(deps.thirdParty).toEqual(['django', 'frobnicate', 'numpy', 'requests']);
    expect(deps.withRustCounterpart.map((d) => d.package)).toEqual(['numpy', 'requests']);
    expect(deps.withoutRustCounterpart).toEqual([{ package: 'django', note: expect.stringMatching(/framework/) }]);
    expect(deps.unknown).toEqual(['frobnicate']);
    expect(deps.share).toBe(0.5);
    expect(evidence.find((e) => e.signal === 'rust-counterparts')).toMatchObject({ value: 0.5, line: 3 });
    expect(evidence.find((e) => e.signal === 'no-rust-counterpart')).toMatchObject({ value: 1, line: 4 });
  });

  it('reports nothing for a module that only uses the standard library', async () => {
    const { deps, evidence } = moduleDependencies(await importsOf('import re\nimport struct\n'), new Set());
    expect(deps).toMatchObject({ thirdParty: [], share: null });
    expect(evidence).toEqual([]);
  });

  it('does not mistake an object property name for a package', async () => {
    const { deps } = moduleDependencies(await importsOf('import constructor\nimport toString\n'), new Set());
    expect(deps.unknown).toEqual(['constructor', 'toString']);
  });
});
