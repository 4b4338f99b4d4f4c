import { describe, expect, it } from 'vitest';
import { profileRust } from '../../src/rust/profile.js';
import { py } from '../helpers.js';

const rs = py; // the same dedent works for Rust snippets

describe('Rust facts: PyO3 exports read from the tree-sitter-rust tree', () => {
  it('names functions, classes, methods and the module as Python sees them', async () => {
    const p = await profileRust('src/lib.rs', rs`
      use pyo3::prelude::*;
      use rayon::prelude::*;

      #[pyfunction]
      #[pyo3(name = "tokenize")]
      fn tokenize_bytes(data: &[u8]) -> Vec<u32> {
          let mut out = Vec::new();
          for (i, &b) in data.iter().enumerate() {
              if b == b' ' { out.push(i as u32); }
          }
          out
      }

      #[pyclass(name = "Counter")]
      struct RsCounter { n: u64 }

      #[pymethods]
      impl RsCounter {
          #[new]
          fn new() -> Self { RsCounter { n: 0 } }
          fn bump(&mut self, by: u64) { self.n += by; }
          #[getter]
          fn value(&self) -> u64 { self.n }
      }

      fn helper(x: u64) -> u64 { x ^ (x >> 3) }

      #[pymodule]
      #[pyo3(name = "_speedups")]
      fn speedups(m: &Bound<'_, PyModule>) -> PyResult<()> {
          m.add_function(wrap_pyfunction!(tokenize_bytes, m)?)?;
          m.add_class::<RsCounter>()?;
          Ok(())
      }
    `);
    expect(p.exports.functions).toEqual([{ name: 'tokenize', rustName: 'tokenize_bytes', line: 6 }]);
    expect(p.exports.classes).toEqual([{ name: 'Counter', rustName: 'RsCounter', line: 15 }]);
    expect(p.exports.methods.map((m) => m.name)).toEqual(['Counter.bump']);
    expect(p.exports.modules).toHaveLength(1);
    expect(p.exports.modules[0]).toMatchObject({ name: '_speedups', rustName: 'speedups', line: 30 });
    expect(p.exports.modules[0].registers).toEqual({ functions: ['tokenize_bytes'], classes: ['RsCounter'], submodules: [] });
    expect(p.uses).toEqual(['pyo3', 'rayon']);
    expect(p.kernels.map((k) => k.name)).toEqual(['tokenize_bytes']);
    expect(p.kernels[0]).toMatchObject({ loops: 1, pyName: 'tokenize' });
  });

  it('sees attributes behind cfg_attr and the pyo3:: path, and declarative #[pymodule] mods', async () => {
    const p = await profileRust('src/lib.rs', rs`
      #[cfg_attr(feature = "python", pyo3::pyfunction)]
      pub fn checksum(data: &[u8]) -> u32 {
          data.iter().fold(0u32, |acc, &b| acc.rotate_left(5) ^ b as u32)
      }

      #[pyo3::pymodule]
      mod fastcrc {
          #[pymodule_export]
          use super::checksum;
      }
    `);
    expect(p.exports.functions.map((f) => f.name)).toEqual(['checksum']);
    expect(p.exports.modules.map((m) => m.name)).toEqual(['fastcrc']);
    expect(p.exports.modules[0].registers.functions).toEqual(['checksum']);
    expect(p.kernels[0]).toMatchObject({ name: 'checksum', loops: 0, iteratorClosures: 1 });
  });

  it('ignores attributes in comments and strings (the regex reader did not)', async () => {
    const p = await profileRust('src/lib.rs', rs`
      // #[pyfunction]
      // fn commented_out() {}
      const DOC: &str = "#[pyfunction] fn in_a_string() {}";
      /* #[pyclass]
         struct Hidden; */
      fn plain() -> u8 { 1 }
    `);
    expect(p.exports.functions).toEqual([]);
    expect(p.exports.classes).toEqual([]);
    expect(p.loc).toBe(2);
  });

  it('reports napi-rs and wasm-bindgen exports as other native bridges', async () => {
    const p = await profileRust('src/lib.rs', rs`
      use napi_derive::napi;
      #[napi]
      pub fn sum(a: i32, b: i32) -> i32 { a + b }
      #[wasm_bindgen]
      pub fn double(x: f64) -> f64 { x * 2.0 }
    `);
    expect(p.bridges.map((b) => b.kind).sort()).toEqual(['napi', 'wasm-bindgen']);
    expect(p.exports.functions).toEqual([]);
  });

  it('profiles what parsed in a broken file and says where it broke', async () => {
    const p = await profileRust('src/lib.rs', rs`
      #[pyfunction]
      fn ok(x: u32) -> u32 { x + 1 }

      fn broken( { let = ; }
    `);
    expect(p.exports.functions.map((f) => f.name)).toEqual(['ok']);
    expect(p.syntaxErrors.length).toBeGreaterThan(0);
    expect(p.syntaxErrors[0]).toBe(4);
  });
});
