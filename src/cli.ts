#!/usr/bin/env node
/** The command line: parses flags, runs the pipeline, renders, and sets the exit code. */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { open, writeFile } from 'node:fs/promises';
import { scan } from './pipeline.js';
import { analysisLimits, DEFAULT_MAX_FILE_SIZE_MB, DEFAULT_MAX_PARSE_MS, parseMegabytes, parseMilliseconds } from './limits-options.js';
import { writeJsonReport } from './report/json-stream.js';
import { ProfileError } from './runtime/types.js';
import { CiUsageError, parseFailOnFlag, parseMinScoreFlag, prepareCi, type CiFlags } from './ci/cli-options.js';
import { TOOL_VERSION } from './version.js';
import { tuneV8ForScans } from './v8-tuning.js';
import { parseJobs, speedOptions } from './pool/cli-options.js';
import type { Report } from './model.js';
import type { RuntimeProfile } from './runtime/types.js';

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (the progress bar); the default IO asks process.stderr. */
  stderrIsTTY?: boolean;
}

type Renderer = (r: Report, warn: (message: string) => void) => string;

/** Each format's renderer, loaded only when asked for (a scan loads one, not all five). */
const RENDERERS: Record<string, () => Promise<Renderer>> = {
  terminal: async () => (await import('./report/terminal.js')).renderTerminal,
  json: async () => (await import('./report/json.js')).renderJson,
  sarif: async () => (await import('./report/sarif.js')).renderSarif,
  markdown: async () => (await import('./report/markdown.js')).renderMarkdown,
  html: async () => (await import('./report/html.js')).renderHtml,
};

/** Reads --profile files; the readers are loaded only when there are any. */
async function runtimeProfiles(files: string[]): Promise<RuntimeProfile[]> {
  if (!files.length) return [];
  const { readProfiles } = await import('./runtime/read-profile.js');
  return readProfiles(files);
}

class UsageError extends Error {}

/** The JSON report streamed (module by module) to the output file or stdout: never one giant string. */
async function writeJsonOutput(report: Report, output: string | undefined, io: CliIO): Promise<void> {
  if (!output) return writeJsonReport(report, io.stdout);
  const file = await open(output, 'w');
  try {
    await writeJsonReport(report, async (chunk) => { await file.write(chunk); });
  } finally {
    await file.close();
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function checkRoot(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!st.isDirectory()) throw new UsageError(`${path} is not a directory`);
}

export async function runCli(argv: string[], io: CliIO = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), stderrIsTTY: process.stderr.isTTY }): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('rustscout')
    .description('Which Python code should stay Python, become a PyO3 extension, or move to Rust.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('scan')
    .description('scan a repository and report a verdict per module')
    .argument('<path>', 'directory to scan')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(RENDERERS)).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-e, --exclude <glob>', 'exclude paths matching the glob (repeatable)', collect, [])
    .option('--no-gitignore', 'do not honour .gitignore files')
    .option('--no-git', 'do not read git history (commits in the last 12 months, age, authors per file)')
    .option('--max-file-size <MB>', 'skip (and report) source files larger than this', parseMegabytes, DEFAULT_MAX_FILE_SIZE_MB)
    .option('--max-parse-ms <ms>', 'give up (and report) parsing a file after this long', parseMilliseconds, DEFAULT_MAX_PARSE_MS)
    .option('--fail-on <verdicts>', 'exit 1 when a new, unsuppressed module has one of these verdicts (pyo3-extension,move-to-rust)', parseFailOnFlag)
    .option('--min-score <n>', 'exit 1 when a new, unsuppressed candidate scores at least n (0-100)', parseMinScoreFlag)
    .option('--baseline <file>', 'report only findings that are new or worse than in this baseline')
    .option('--write-baseline <file>', "record today's modules and findings as a baseline")
    .option('--changed-since <ref>', 'limit findings to modules changed since the git revision (and uncommitted changes)')
    .option('--report-unused-suppressions', 'report rustscout: keep-python / keep-typescript comments that suppress nothing')
    .option('--config <file>', 'read this config file instead of the nearest rustscout.toml / pyproject.toml')
    .option('--no-config', 'ignore configuration files')
    .option('--link-base <url>', 'prefix for links to source lines in Markdown (default: from GITHUB_* variables)')
    .option('-v, --verbose', 'log progress and CI decisions to stderr')
    .option('--profile <file>', 'runtime profile: py-spy speedscope or raw output, or Scalene --json (repeatable)', collect, [])
    .option('-j, --jobs <n>', 'threads that parse and detect, this one included (default: the number of cores; 1 = no worker threads)', parseJobs)
    .option('--cache-dir <dir>', 'per-file result cache folder (default: $XDG_CACHE_HOME/rustscout/… or ~/.cache/rustscout/…, outside the repository)')
    .option('--no-cache', 'neither read nor write the per-file result cache')
    .action(async (path: string, opts: { format: string; output?: string; exclude: string[]; gitignore: boolean; git: boolean; maxFileSize: number; maxParseMs: number; profile: string[]; jobs?: number; cache: boolean; cacheDir?: string } & CiFlags, command: Command) => {
      checkRoot(path);
      const profiles = await runtimeProfiles(opts.profile).catch((err: unknown) => { throw err instanceof ProfileError ? new UsageError(err.message) : err; });
      const ci = prepareCi(path, opts, command, { stderr: io.stderr, stderrIsTTY: io.stderrIsTTY });
      const report = await scan(path, { exclude: [...ci.exclude, ...opts.exclude], gitignore: ci.gitignore, limits: analysisLimits(opts), weights: ci.weights, onProgress: ci.onProgress, profiles, excerpts: opts.format === 'html', git: opts.git, ...speedOptions(opts) });
      const outcome = await ci.finish(report);
      if (opts.format === 'json') await writeJsonOutput(outcome.report, opts.output, io);
      else {
        const text = (await RENDERERS[opts.format]())(outcome.report, ci.warn);
        if (opts.output) await writeFile(opts.output, text);
        else io.stdout(text);
      }
      exitCode = outcome.failing.length ? EXIT.findings : EXIT.ok;
    });

  program
    .command('explain')
    .description('the full trace of one verdict: every feature, weight, contribution and evidence line, and what would change it')
    .argument('<target>', 'path/to/module.py or path/to/module.py:function (relative to --root, or absolute)')
    .option('-r, --root <dir>', 'the repository the module belongs to (default: the current directory when it is a project holding the file, else the file\'s nearest directory with .git, pyproject.toml, setup.py, setup.cfg, Cargo.toml or package.json)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['terminal', 'json']).default('terminal'))
    .action(async (target: string, opts: { root?: string; format: string }) => {
      if (opts.root) checkRoot(opts.root);
      const { explain, ExplainError, renderExplanation } = await import('./explain.js');
      const e = await explain(target, { root: opts.root }).catch((err: unknown) => { throw err instanceof ExplainError ? new UsageError(err.message) : err; });
      io.stdout(opts.format === 'json' ? JSON.stringify(e, null, 2) + '\n' : renderExplanation(e));
      exitCode = EXIT.ok;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof CiUsageError) {
      io.stderr(`rustscout: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  return exitCode;
}

function invokedDirectly(): boolean {
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  tuneV8ForScans();
  runCli(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => {
      process.stderr.write(`rustscout: internal error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 3;
    },
  );
}
