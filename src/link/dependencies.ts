/**
 * Which third-party packages each module imports, and which of them have a Rust counterpart.
 * A module whose dependencies all have mature crates can move whole; one built on Django or
 * SymPy cannot without replacing its foundation.
 *
 * RUST_COUNTERPARTS is the documented data table (README "Rust counterparts of Python packages"):
 * keyed by the top-level *import* name, with the PyPI distribution names that provide it.
 */
import type { Evidence } from '../model.js';
import type { ImportFact } from '../python/facts.js';
import { STDLIB_MODULES } from './stdlib-modules.js';

/**
 * - `equivalent`: a mature crate covers what the package does (requests → reqwest).
 * - `partial`: crates cover the common part, not all of it (scipy → ndarray-linalg, statrs).
 * - `not-needed`: the package papers over something Rust has natively (six, typing_extensions).
 * - `none`: no crate plays the same role; porting means redesigning (django, sympy).
 */
export type CounterpartKind = 'equivalent' | 'partial' | 'not-needed' | 'none';

export interface RustCounterpart {
  /** PyPI distribution names that provide the import (manifests list these). */
  dist: string[];
  kind: CounterpartKind;
  crates: string[];
  note?: string;
}

const eq = (dist: string[], crates: string[], note?: string): RustCounterpart => ({ dist, kind: 'equivalent', crates, note });
const partial = (dist: string[], crates: string[], note: string): RustCounterpart => ({ dist, kind: 'partial', crates, note });
const none = (dist: string[], note: string): RustCounterpart => ({ dist, kind: 'none', crates: [], note });
const notNeeded = (dist: string[], note: string): RustCounterpart => ({ dist, kind: 'not-needed', crates: [], note });

/** Top-level import name → its Rust counterpart. */
export const RUST_COUNTERPARTS: Readonly<Record<string, RustCounterpart>> = {
  // HTTP clients and servers
  requests: eq(['requests'], ['reqwest', 'ureq']),
  httpx: eq(['httpx'], ['reqwest']),
  urllib3: eq(['urllib3'], ['hyper', 'reqwest']),
  aiohttp: eq(['aiohttp'], ['reqwest', 'axum'], 'client → reqwest, server → axum'),
  websockets: eq(['websockets'], ['tokio-tungstenite']),
  websocket: eq(['websocket-client'], ['tungstenite']),
  grpc: eq(['grpcio'], ['tonic']),
  google: partial(['protobuf', 'google-cloud-*'], ['prost', 'google-cloud-rust'], 'google.protobuf → prost; Google Cloud clients partly covered'),
  flask: eq(['flask'], ['axum', 'actix-web']),
  fastapi: eq(['fastapi'], ['axum', 'utoipa'], 'routing and validation: axum + serde; OpenAPI: utoipa'),
  starlette: eq(['starlette'], ['axum']),
  sanic: eq(['sanic'], ['axum']),
  bottle: eq(['bottle'], ['axum']),
  falcon: eq(['falcon'], ['axum']),
  quart: eq(['quart'], ['axum']),
  tornado: eq(['tornado'], ['tokio', 'axum']),
  uvicorn: eq(['uvicorn'], ['hyper', 'tokio']),
  gunicorn: eq(['gunicorn'], ['hyper', 'tokio']),
  django: none(['django'], 'full-stack framework (ORM, admin, templates, auth): no Rust equivalent'),
  rest_framework: none(['djangorestframework'], 'tied to Django'),
  pyramid: partial(['pyramid'], ['axum'], 'routing only'),
  // data and validation
  pydantic: eq(['pydantic'], ['serde', 'validator']),
  pydantic_settings: eq(['pydantic-settings'], ['config', 'figment']),
  marshmallow: eq(['marshmallow'], ['serde']),
  attr: eq(['attrs'], ['serde'], 'plain structs with derives'),
  attrs: eq(['attrs'], ['serde'], 'plain structs with derives'),
  dataclasses_json: eq(['dataclasses-json'], ['serde_json']),
  orjson: eq(['orjson'], ['serde_json']),
  ujson: eq(['ujson'], ['serde_json']),
  simplejson: eq(['simplejson'], ['serde_json']),
  yaml: eq(['pyyaml'], ['serde_yaml']),
  ruamel: eq(['ruamel.yaml'], ['serde_yaml']),
  toml: eq(['toml'], ['toml']),
  tomli: eq(['tomli'], ['toml']),
  tomlkit: eq(['tomlkit'], ['toml_edit']),
  msgpack: eq(['msgpack'], ['rmp-serde']),
  cbor2: eq(['cbor2'], ['ciborium']),
  jsonschema: eq(['jsonschema'], ['jsonschema']),
  lxml: eq(['lxml'], ['quick-xml', 'roxmltree']),
  xmltodict: eq(['xmltodict'], ['quick-xml']),
  bs4: eq(['beautifulsoup4'], ['scraper']),
  markdown: eq(['markdown'], ['pulldown-cmark', 'comrak']),
  mistune: eq(['mistune'], ['pulldown-cmark']),
  jinja2: eq(['jinja2'], ['minijinja', 'tera']),
  mako: partial(['mako'], ['tera'], 'template semantics differ'),
  regex: eq(['regex'], ['regex', 'fancy-regex']),
  chardet: eq(['chardet'], ['chardetng']),
  charset_normalizer: eq(['charset-normalizer'], ['chardetng']),
  unidecode: eq(['unidecode'], ['deunicode']),
  dateutil: eq(['python-dateutil'], ['chrono']),
  pytz: eq(['pytz'], ['chrono-tz']),
  arrow: eq(['arrow'], ['chrono']),
  pendulum: eq(['pendulum'], ['chrono', 'jiff']),
  // numeric, data frames, ML
  numpy: eq(['numpy'], ['ndarray', 'nalgebra']),
  pandas: eq(['pandas'], ['polars']),
  polars: eq(['polars'], ['polars']),
  pyarrow: eq(['pyarrow'], ['arrow']),
  duckdb: eq(['duckdb'], ['duckdb']),
  scipy: partial(['scipy'], ['ndarray-linalg', 'nalgebra', 'statrs', 'argmin'], 'linear algebra, stats and optimisation are covered; signal, sparse and special functions only in part'),
  sklearn: partial(['scikit-learn'], ['linfa', 'smartcore'], 'common estimators only'),
  torch: partial(['torch'], ['tch', 'burn', 'candle'], 'inference and training exist; the ecosystem is far smaller'),
  tensorflow: partial(['tensorflow'], ['tensorflow', 'burn'], 'bindings to the C API'),
  jax: none(['jax'], 'composable transformations and XLA: no Rust equivalent'),
  numba: none(['numba'], 'already compiles Python loops to machine code'),
  sympy: none(['sympy'], 'computer algebra: no mature Rust equivalent'),
  statsmodels: partial(['statsmodels'], ['linfa', 'statrs'], 'basic regression only'),
  networkx: eq(['networkx'], ['petgraph']),
  shapely: eq(['shapely'], ['geo']),
  pyproj: eq(['pyproj'], ['proj']),
  h5py: eq(['h5py'], ['hdf5']),
  matplotlib: partial(['matplotlib'], ['plotters'], 'static plots only'),
  PIL: eq(['pillow'], ['image']),
  cv2: partial(['opencv-python'], ['opencv', 'image', 'imageproc'], 'opencv crate binds the C++ library'),
  skimage: partial(['scikit-image'], ['image', 'imageproc'], 'common filters only'),
  // databases and brokers
  sqlalchemy: eq(['sqlalchemy'], ['sqlx', 'diesel', 'sea-orm']),
  sqlmodel: eq(['sqlmodel'], ['sqlx', 'sea-orm']),
  psycopg: eq(['psycopg'], ['tokio-postgres', 'sqlx']),
  psycopg2: eq(['psycopg2', 'psycopg2-binary'], ['postgres', 'tokio-postgres', 'sqlx']),
  asyncpg: eq(['asyncpg'], ['sqlx', 'tokio-postgres']),
  pymysql: eq(['pymysql'], ['mysql', 'sqlx']),
  MySQLdb: eq(['mysqlclient'], ['mysql', 'sqlx']),
  mysql: eq(['mysql-connector-python'], ['mysql', 'sqlx']),
  redis: eq(['redis'], ['redis']),
  pymongo: eq(['pymongo'], ['mongodb']),
  motor: eq(['motor'], ['mongodb']),
  elasticsearch: eq(['elasticsearch'], ['elasticsearch']),
  cassandra: eq(['cassandra-driver'], ['scylla']),
  peewee: eq(['peewee'], ['diesel', 'sea-orm']),
  kafka: eq(['kafka-python'], ['rdkafka']),
  confluent_kafka: eq(['confluent-kafka'], ['rdkafka']),
  pika: eq(['pika'], ['lapin']),
  zmq: eq(['pyzmq'], ['zmq']),
  celery: none(['celery'], 'distributed task queue: no mature Rust equivalent'),
  boto3: eq(['boto3'], ['aws-sdk-s3', 'aws-config'], 'the official AWS SDK for Rust, one crate per service'),
  botocore: eq(['botocore'], ['aws-smithy-runtime']),
  // CLI, terminal, logging, config
  click: eq(['click'], ['clap']),
  typer: eq(['typer'], ['clap']),
  docopt: eq(['docopt'], ['docopt', 'clap']),
  fire: eq(['fire'], ['clap']),
  rich: eq(['rich'], ['ratatui', 'indicatif', 'comfy-table']),
  tqdm: eq(['tqdm'], ['indicatif']),
  colorama: eq(['colorama'], ['owo-colors', 'colored']),
  termcolor: eq(['termcolor'], ['owo-colors', 'colored']),
  tabulate: eq(['tabulate'], ['comfy-table', 'tabled']),
  loguru: eq(['loguru'], ['tracing', 'log']),
  structlog: eq(['structlog'], ['tracing']),
  dotenv: eq(['python-dotenv'], ['dotenvy']),
  psutil: eq(['psutil'], ['sysinfo']),
  watchdog: eq(['watchdog'], ['notify']),
  // crypto, compression, hashing, networking
  cryptography: eq(['cryptography'], ['ring', 'rustls', 'aes-gcm', 'rsa']),
  nacl: eq(['pynacl'], ['dryoc', 'crypto_box']),
  jwt: eq(['pyjwt'], ['jsonwebtoken']),
  bcrypt: eq(['bcrypt'], ['bcrypt']),
  paramiko: eq(['paramiko'], ['russh', 'ssh2']),
  zstandard: eq(['zstandard'], ['zstd']),
  lz4: eq(['lz4'], ['lz4_flex']),
  brotli: eq(['brotli'], ['brotli']),
  xxhash: eq(['xxhash'], ['xxhash-rust', 'twox-hash']),
  mmh3: eq(['mmh3'], ['murmur3']),
  uvloop: eq(['uvloop'], ['tokio']),
  gevent: eq(['gevent'], ['tokio'], 'green threads → async tasks'),
  eventlet: eq(['eventlet'], ['tokio'], 'green threads → async tasks'),
  trio: eq(['trio'], ['tokio']),
  anyio: eq(['anyio'], ['tokio']),
  scapy: partial(['scapy'], ['pnet', 'etherparse'], 'packet parsing and sending, not the interactive toolkit'),
  dns: eq(['dnspython'], ['hickory-resolver']),
  // scraping, testing, compatibility shims
  scrapy: none(['scrapy'], 'crawling framework: no Rust equivalent'),
  selenium: eq(['selenium'], ['thirtyfour', 'fantoccini']),
  pytest: notNeeded(['pytest'], 'cargo test'),
  hypothesis: eq(['hypothesis'], ['proptest', 'quickcheck']),
  mock: notNeeded(['mock'], 'mockall, or traits'),
  six: notNeeded(['six'], 'Python 2/3 compatibility shim'),
  typing_extensions: notNeeded(['typing-extensions'], 'typing backports'),
  mypy_extensions: notNeeded(['mypy-extensions'], 'typing backports'),
  future: notNeeded(['future'], 'Python 2/3 compatibility shim'),
  setuptools: notNeeded(['setuptools'], 'packaging: cargo'),
  pkg_resources: notNeeded(['setuptools'], 'packaging: cargo'),
  // native bridges themselves
  cffi: notNeeded(['cffi'], 'Rust calls C directly (extern "C", bindgen)'),
  cython: notNeeded(['cython'], 'Rust compiles natively'),
  Cython: notNeeded(['cython'], 'Rust compiles natively'),
};

export interface ModuleDependencies {
  /** Third-party top-level imports (neither standard library nor the repo's own modules), sorted. */
  thirdParty: string[];
  withRustCounterpart: { package: string; kind: Exclude<CounterpartKind, 'none'>; crates: string[] }[];
  withoutRustCounterpart: { package: string; note?: string }[];
  /** Not in the table: counted as without a counterpart in `share`. */
  unknown: string[];
  /** withRustCounterpart / thirdParty, 0–1, two decimals; null when the module imports no third-party package. */
  share: number | null;
}

/**
 * Splits a module's imports into standard library, the repo's own modules, and third-party packages,
 * and looks the third-party ones up in RUST_COUNTERPARTS. `internal` holds the top-level names of the
 * repo's own modules and packages.
 */
export function moduleDependencies(imports: ImportFact[], internal: ReadonlySet<string>): { deps: ModuleDependencies; evidence: Evidence[] } {
  const firstLine = new Map<string, number>();
  for (const imp of imports) {
    if (imp.level > 0 || !imp.module) continue;
    const dot = imp.module.indexOf('.');
    const top = dot < 0 ? imp.module : imp.module.slice(0, dot); // imp.module.split('.')[0]
    if (STDLIB_MODULES.has(top) || internal.has(top)) continue;
    if (!firstLine.has(top) || imp.line < firstLine.get(top)!) firstLine.set(top, imp.line);
  }
  const thirdParty = [...firstLine.keys()].sort();
  const deps: ModuleDependencies = { thirdParty, withRustCounterpart: [], withoutRustCounterpart: [], unknown: [], share: null };
  for (const pkg of thirdParty) {
    const entry = Object.prototype.hasOwnProperty.call(RUST_COUNTERPARTS, pkg) ? RUST_COUNTERPARTS[pkg] : undefined;
    if (!entry) deps.unknown.push(pkg);
    else if (entry.kind === 'none') deps.withoutRustCounterpart.push({ package: pkg, note: entry.note });
    else deps.withRustCounterpart.push({ package: pkg, kind: entry.kind, crates: entry.crates });
  }
  const evidence: Evidence[] = [];
  if (thirdParty.length === 0) return { deps, evidence };
  deps.share = Math.round((deps.withRustCounterpart.length / thirdParty.length) * 100) / 100;
  const line = Math.min(...thirdParty.map((p) => firstLine.get(p)!));
  evidence.push({
    detector: 'dependencies', signal: 'rust-counterparts', value: deps.share, line,
    message: `${deps.withRustCounterpart.length} of ${thirdParty.length} third-party package(s) have a Rust counterpart${deps.withRustCounterpart.length ? ` (${deps.withRustCounterpart.slice(0, 4).map((d) => `${d.package}→${d.crates[0] ?? 'std'}`).join(', ')})` : ''}${deps.unknown.length ? `; not in the table: ${deps.unknown.slice(0, 4).join(', ')}` : ''}`,
  });
  if (deps.withoutRustCounterpart.length) {
    const first = deps.withoutRustCounterpart.reduce((a, b) => (firstLine.get(a.package)! <= firstLine.get(b.package)! ? a : b));
    evidence.push({
      detector: 'dependencies', signal: 'no-rust-counterpart', value: deps.withoutRustCounterpart.length, line: firstLine.get(first.package)!,
      message: `built on ${deps.withoutRustCounterpart.map((d) => d.package).join(', ')}: ${first.note ?? 'no Rust equivalent'}`,
    });
  }
  return { deps, evidence };
}
