/**
 * The CI flags of `rustscout scan`, merged with the configuration file (CLI flags win), and the
 * glue the CLI calls around `scan()`: progress, config-driven scan options, the CI stage.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { findConfig, loadConfig, type RustscoutConfig } from '../config.js';
import type { Verdict, Report } from '../model.js';
import { progressReporter, type ProgressCallback } from '../progress.js';
import { CiUsageError } from './errors.js';
import { parseMinScore, parseVerdictList } from './fail-on.js';
import { applyCi, type CiOutcome } from './stage.js';

export interface CiFlags {
  failOn?: string;
  minScore?: number;
  baseline?: string;
  writeBaseline?: string;
  changedSince?: string;
  reportUnusedSuppressions?: boolean;
  config?: string | false;
  linkBase?: string;
  verbose?: boolean;
  format?: string;
  gitignore?: boolean;
}

const asArgument = <T>(parse: (v: string) => T) => (value: string): T => {
  try {
    return parse(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message.replace(/^[^:]*: /, ''));
  }
};

export const parseFailOnFlag = asArgument((v: string) => {
  parseVerdictList(v, '--fail-on');
  return v;
});
export const parseMinScoreFlag = asArgument((v: string) => parseMinScore(v, '--min-score'));

export interface CiIO {
  stderr: (text: string) => void;
  stderrIsTTY?: boolean;
  env?: Record<string, string | undefined>;
}

export interface CiRun {
  config?: RustscoutConfig;
  /** Extra excludes from the config (rebased onto the root). */
  exclude: string[];
  gitignore: boolean;
  weights?: Record<string, number>;
  onProgress?: ProgressCallback;
  /** Warnings to stderr (e.g. SARIF truncation). */
  warn: (message: string) => void;
  finish: (report: Report) => Promise<CiOutcome>;
}

/** Loads the config (unless --no-config), merges the flags over it, and sets up progress. */
export function prepareCi(root: string, flags: CiFlags, command: Command | undefined, io: CiIO): CiRun {
  const configFile = flags.config === false ? null : flags.config ? resolve(flags.config) : findConfig(root);
  const config = configFile ? loadConfig(configFile, root) : undefined;
  const log = (message: string): void => { if (flags.verbose) io.stderr(`rustscout: ${message}\n`); };
  if (config) log(`config ${config.file}`);
  const gitignoreFromCli = command?.getOptionValueSource('gitignore') === 'cli';
  const failOn: Verdict[] | undefined = flags.failOn !== undefined ? parseVerdictList(flags.failOn, '--fail-on') : config?.failOn;
  const progress = progressReporter({ write: io.stderr, isTTY: !!io.stderrIsTTY, verbose: !!flags.verbose });
  const weights = config && Object.keys(config.weights).length ? config.weights : undefined;
  return {
    config,
    exclude: config?.exclude ?? [],
    gitignore: gitignoreFromCli ? flags.gitignore !== false : config?.gitignore ?? flags.gitignore !== false,
    ...(weights ? { weights } : {}),
    ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    warn: (message) => io.stderr(`rustscout: warning: ${message}\n`),
    finish: async (report) => {
      progress.done();
      return applyCi(report, {
        root,
        config,
        failOn,
        minScore: flags.minScore ?? config?.minScore,
        baseline: flags.baseline ? resolve(flags.baseline) : config?.baseline,
        writeBaseline: flags.writeBaseline ? resolve(flags.writeBaseline) : undefined,
        changedSince: flags.changedSince,
        reportUnusedSuppressions: flags.reportUnusedSuppressions ?? config?.reportUnusedSuppressions ?? false,
        locateInGit: flags.format === 'sarif' || flags.format === 'markdown',
        linkBase: flags.linkBase,
        env: io.env ?? process.env,
        log,
      });
    },
  };
}

export { CiUsageError };
