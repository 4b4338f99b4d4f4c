/**
 * `npm run bench`: rustscout against the parse floor and radon on large real codebases.
 *
 * For each of sympy, pandas, sklearn and django (Debian packages fetched by
 * ../shared/corpus/fetch.sh --with-large) it measures, median of --runs (default 3):
 *   cold   rustscout scan with an empty cache (the cache is written, as on a first run)
 *   warm   the same scan again (every file from the cache)
 *   edited the scan again after one file (the largest) changed: what a pull request's CI run sees
 *   floor  read + parse every file with the same tree-sitter parser on one thread, nothing else
 *   radon  `radon cc -j` (the peer users run today)
 * wall time, lines/s and peak RSS, the ratios cold/radon, cold/floor and warm/cold, and checks
 * the targets on sympy. Then a synthetic tree of the four codebases copied under several roots
 * (hard links, ~1.7 M lines per copy) is scanned at 1, 2 and 3 copies (≈ 5 M lines) for peak RSS
 * and time per line. Results go to .bench-cache/bench-results.json (or --out).
 *
 * Options: --runs N, --only sympy,django, --no-synthetic, --copies N, --jobs N, --out FILE.
 * Env: RUSTSCOUT_CORPUS=DIR reuses an already fetched corpus (the DEST given to fetch.sh).
 * This is a script, not a test: it prints figures and never fails on timing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { V8_FLAGS } from '../src/v8-tuning.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli.js');
const FLOOR = join(REPO, 'dist', 'scripts', 'parse-floor.js');
const BENCH_CACHE = join(REPO, '.bench-cache');
const CODEBASES = ['sympy', 'pandas', 'sklearn', 'django'] as const;
const SITE = join('usr', 'lib', 'python3', 'dist-packages');
const TARGETS = { coldOverRadon: 0.3, coldOverFloor: 0.85, warmOverCold: 0.1, sympyRssMB: 700, syntheticRssMB: 1024 };

interface Args {
  runs: number;
  only: string[];
  synthetic: boolean;
  copies: number;
  jobs?: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 3, only: [...CODEBASES], synthetic: true, copies: 3, out: join(BENCH_CACHE, 'bench-results.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => argv[++i] ?? '';
    if (a === '--runs') args.runs = Math.max(1, Number(next()) || 3);
    else if (a === '--only') args.only = next().split(',').filter(Boolean);
    else if (a === '--no-synthetic') args.synthetic = false;
    else if (a === '--copies') args.copies = Math.max(1, Number(next()) || 3);
    else if (a === '--jobs') args.jobs = Number(next());
    else if (a === '--out') args.out = resolve(next());
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

const log = (s: string): void => void process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------------------------- setup

function corpusDir(): string {
  const dest = process.env.RUSTSCOUT_CORPUS ? resolve(process.env.RUSTSCOUT_CORPUS) : join(BENCH_CACHE, 'corpus');
  if (CODEBASES.every((c) => existsSync(join(dest, SITE, c)))) return dest;
  const fetch = resolve(REPO, '..', 'shared', 'corpus', 'fetch.sh');
  if (!existsSync(fetch)) throw new Error(`corpus missing under ${dest} and ${fetch} not found; set RUSTSCOUT_CORPUS`);
  log(`fetching the large corpus into ${dest} (bash ${fetch} ${dest} --with-large) …`);
  execFileSync('bash', [fetch, dest, '--with-large'], { stdio: 'inherit' });
  return dest;
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** radon from Debian: python3-radon where it exists, else the `radon` package (bookworm's name). */
function ensureRadon(): void {
  if (onPath('radon')) return;
  log('radon not found; installing it from Debian packages …');
  const apt = ['-o', 'APT::Sandbox::User=root'];
  execFileSync('apt-get', [...apt, 'update'], { stdio: 'inherit' });
  const candidate = (pkg: string): boolean => /Candidate:\s*(?!\(none\))\S+/.test(spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' }).stdout ?? '');
  const pkg = candidate('python3-radon') ? 'python3-radon' : candidate('radon') ? 'radon' : null;
  if (!pkg) throw new Error('no radon package in the configured Debian archives');
  execFileSync('apt-get', [...apt, 'install', '-y', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Lines in every .py file under dir (what "lines" means in lines/s). */
function countLines(dir: string): { files: number; lines: number } {
  let files = 0;
  let lines = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) {
        files++;
        const buf = readFileSync(p);
        for (let i = 0; i < buf.length; i++) if (buf[i] === 10) lines++;
      }
    }
  };
  walk(dir);
  return { files, lines };
}

// ---------------------------------------------------------------------------------- measuring

interface Sample {
  wallS: number;
  rssMB: number | null;
  /** user + system CPU seconds (all threads): comparable even on a busy machine. */
  cpuS: number | null;
}

const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%e', 'true']).status === 0;

/** Runs a command, discarding its output; wall time and peak RSS (GNU time when available). */
function measure(cmd: string, args: string[]): Sample {
  const stats = join(tmpdir(), `rustscout-bench-${process.pid}.time`);
  const t0 = performance.now();
  const r = GNU_TIME
    ? spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', stats, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(-2000)}`);
  if (!GNU_TIME) return { wallS: wall, rssMB: null, cpuS: null };
  const [e, m, u, sys] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(stats, { force: true });
  return { wallS: e > 0 ? e : wall, rssMB: Math.round(m / 1024), cpuS: round(u + sys, 2) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Figure {
  wallS: number;
  linesPerS: number;
  peakRssMB: number | null;
  /** Median CPU seconds (user + system). */
  cpuS: number | null;
  runs: number[];
}

function figure(samples: Sample[], lines: number): Figure {
  const wall = median(samples.map((s) => s.wallS));
  const rss = samples.every((s) => s.rssMB !== null) ? Math.max(...samples.map((s) => s.rssMB!)) : null;
  const cpu = samples.every((s) => s.cpuS !== null) ? round(median(samples.map((s) => s.cpuS!)), 2) : null;
  return { wallS: round(wall, 3), linesPerS: Math.round(lines / wall), peakRssMB: rss, cpuS: cpu, runs: samples.map((s) => round(s.wallS, 3)) };
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

function scanArgs(dir: string, extra: string[], jobs?: number): string[] {
  return [CLI, 'scan', dir, '--format', 'json', '--output', '/dev/null', '--no-git', ...(jobs ? ['--jobs', String(jobs)] : []), ...extra];
}

interface CodebaseResult {
  name: string;
  files: number;
  lines: number;
  cold: Figure;
  warm: Figure;
  /** A re-scan after one file's content changed (what a pull request's CI run sees). */
  edited: Figure;
  floor: Figure;
  radon: Figure;
  ratios: { coldOverRadon: number; coldOverFloor: number; warmOverCold: number; editedOverCold: number; floorOverRadon: number };
}

/** The largest Python file under dir (the edit that costs a re-scan the most). */
function largestPythonFile(dir: string): string {
  let best = '';
  let size = -1;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) {
        const n = statSync(p).size;
        if (n > size) [best, size] = [p, n];
      }
    }
  };
  walk(dir);
  return best;
}

/** Changes one file of a hard-linked tree without touching the original: a new inode with a line appended. */
function editOneFile(path: string, run: number): void {
  const text = readFileSync(path);
  rmSync(path);
  writeFileSync(path, Buffer.concat([text, Buffer.from(`\nBENCH_EDIT_${run} = ${run}\n`)]));
}

function benchCodebase(name: string, dir: string, args: Args, work: string): CodebaseResult {
  const { files, lines } = countLines(dir);
  log(`\n${name}: ${files} files, ${lines} lines`);
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const edited: Sample[] = [];
  const floor: Sample[] = [];
  const radon: Sample[] = [];
  for (let run = 0; run < args.runs; run++) {
    // rustscout scans a hard-linked copy, so that one file can be edited without touching the corpus
    const tree = join(work, `tree-${name}-${run}`);
    const cache = join(work, `cache-${name}-${run}`);
    rmSync(tree, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    linkTree(dir, tree);
    cold.push(measure(process.execPath, scanArgs(tree, ['--cache-dir', cache], args.jobs)));
    warm.push(measure(process.execPath, scanArgs(tree, ['--cache-dir', cache], args.jobs)));
    editOneFile(largestPythonFile(tree), run);
    edited.push(measure(process.execPath, scanArgs(tree, ['--cache-dir', cache], args.jobs)));
    rmSync(cache, { recursive: true, force: true });
    rmSync(tree, { recursive: true, force: true });
    floor.push(measure(process.execPath, [FLOOR, dir]));
    radon.push(measure('radon', ['cc', '-j', dir]));
    const last = (xs: Sample[]): string => `${xs[xs.length - 1].wallS.toFixed(2)}s`;
    log(`  run ${run + 1}: cold ${last(cold)}  warm ${last(warm)}  one file edited ${last(edited)}  floor ${last(floor)}  radon ${last(radon)}`);
  }
  const r = { cold: figure(cold, lines), warm: figure(warm, lines), edited: figure(edited, lines), floor: figure(floor, lines), radon: figure(radon, lines) };
  return {
    name, files, lines, ...r,
    ratios: {
      coldOverRadon: round(r.cold.wallS / r.radon.wallS, 3), coldOverFloor: round(r.cold.wallS / r.floor.wallS, 3),
      warmOverCold: round(r.warm.wallS / r.cold.wallS, 3), editedOverCold: round(r.edited.wallS / r.cold.wallS, 3),
      floorOverRadon: round(r.floor.wallS / r.radon.wallS, 3),
    },
  };
}

/** Hard-links (or copies, across devices) a tree. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory()) linkTree(a, b);
    else if (e.isFile()) {
      try {
        linkSync(a, b);
      } catch {
        cpSync(a, b);
      }
    }
  }
}

interface SyntheticResult {
  copies: number;
  files: number;
  lines: number;
  wallS: number;
  peakRssMB: number | null;
  cpuS: number | null;
  secondsPerMillionLines: number;
}

function benchSynthetic(corpus: string, args: Args, work: string): SyntheticResult[] {
  const root = mkdtempSync(join(work, 'synthetic-'));
  const out: SyntheticResult[] = [];
  try {
    for (let copy = 1; copy <= args.copies; copy++) {
      for (const c of CODEBASES) linkTree(join(corpus, SITE, c), join(root, `copy${copy}`, c));
      const { files, lines } = countLines(root);
      log(`\nsynthetic tree, ${copy} cop${copy > 1 ? 'ies' : 'y'}: ${files} files, ${lines} lines`);
      const s = measure(process.execPath, scanArgs(root, ['--no-cache'], args.jobs));
      log(`  cold (no cache) ${s.wallS.toFixed(2)}s (CPU ${s.cpuS ?? '?'}s), peak RSS ${s.rssMB ?? '?'} MB`);
      out.push({ copies: copy, files, lines, wallS: round(s.wallS, 3), peakRssMB: s.rssMB, cpuS: s.cpuS, secondsPerMillionLines: round(s.wallS / (lines / 1e6), 3) });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------- report

function table(results: CodebaseResult[]): string {
  const rows = [['codebase', 'lines', 'what', 'wall s', 'lines/s', 'peak RSS MB', 'CPU s']];
  for (const r of results) {
    for (const k of ['cold', 'warm', 'edited', 'floor', 'radon'] as const) {
      rows.push([r.name, String(r.lines), k, r[k].wallS.toFixed(2), String(r[k].linesPerS), String(r[k].peakRssMB ?? '?'), String(r[k].cpuS ?? '?')]);
    }
    rows.push([r.name, '', 'ratios', `cold/radon ${r.ratios.coldOverRadon}`, `cold/floor ${r.ratios.coldOverFloor}`, `warm/cold ${r.ratios.warmOverCold}`, `edited/cold ${r.ratios.editedOverCold}`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

function targets(results: CodebaseResult[], synthetic: SyntheticResult[]): { target: string; value: number | null; limit: number; met: boolean | null }[] {
  const out: { target: string; value: number | null; limit: number; met: boolean | null }[] = [];
  const sympy = results.find((r) => r.name === 'sympy');
  const check = (target: string, value: number | null, limit: number): void => void out.push({ target, value, limit, met: value === null ? null : value <= limit });
  if (sympy) {
    check('sympy cold / radon', sympy.ratios.coldOverRadon, TARGETS.coldOverRadon);
    check('sympy cold / parse floor', sympy.ratios.coldOverFloor, TARGETS.coldOverFloor);
    check('sympy warm / cold', sympy.ratios.warmOverCold, TARGETS.warmOverCold);
    check('sympy cold peak RSS MB', sympy.cold.peakRssMB, TARGETS.sympyRssMB);
  }
  const biggest = synthetic[synthetic.length - 1];
  if (biggest) check(`synthetic ${(biggest.lines / 1e6).toFixed(1)} M lines peak RSS MB`, biggest.peakRssMB, TARGETS.syntheticRssMB);
  return out;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI) || !existsSync(FLOOR)) throw new Error('dist/ is missing: run `npm run build` (npm run bench builds first)');
  const corpus = corpusDir();
  ensureRadon();
  const work = join(BENCH_CACHE, 'work');
  mkdirSync(work, { recursive: true });
  const results: CodebaseResult[] = [];
  for (const name of args.only) {
    const dir = join(corpus, SITE, name);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} not found`);
    results.push(benchCodebase(name, dir, args, work));
  }
  const synthetic = args.synthetic ? benchSynthetic(corpus, args, work) : [];
  rmSync(work, { recursive: true, force: true });

  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, v8: process.versions.v8, v8Flags: V8_FLAGS, radon: spawnSync('radon', ['--version'], { encoding: 'utf8' }).stdout.trim(), loadAverageAtEnd: loadavg().map((x) => round(x, 2)) };
  if (machine.loadAverageAtEnd[0] > machine.cores) log(`\nnote: load average ${machine.loadAverageAtEnd[0]} on ${machine.cores} cores — other work competed; compare CPU seconds rather than wall time`);
  const checked = targets(results, synthetic);
  const json = { date: new Date().toISOString(), machine, runs: args.runs, jobs: args.jobs ?? machine.cores, codebases: results, synthetic, targets: checked };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(json, null, 2) + '\n');

  process.stdout.write(`\n${table(results)}\n`);
  if (synthetic.length) {
    process.stdout.write('\nsynthetic tree (no cache):\n');
    for (const s of synthetic) process.stdout.write(`  ${s.copies}× ${(s.lines / 1e6).toFixed(2)} M lines: ${s.wallS.toFixed(1)} s, ${s.secondsPerMillionLines} s per M lines, CPU ${s.cpuS ?? '?'} s, peak RSS ${s.peakRssMB ?? '?'} MB\n`);
  }
  process.stdout.write('\ntargets:\n');
  for (const t of checked) process.stdout.write(`  ${t.met === null ? '?' : t.met ? 'met ' : 'MISS'}  ${t.target}: ${t.value ?? '?'} (≤ ${t.limit})\n`);
  process.stdout.write(`\nwritten to ${args.out}\n`);
}

main();
