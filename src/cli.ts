#!/usr/bin/env node
/** The command line: parses flags, runs the pipeline, renders, and sets the exit code. */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { scan } from './pipeline.js';
import { renderJson } from './report/json.js';
import { renderTerminal } from './report/terminal.js';
import { TOOL_VERSION } from './version.js';
import type { Report } from './model.js';

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const RENDERERS: Record<string, (r: Report) => string> = {
  terminal: renderTerminal,
  json: renderJson,
};

class UsageError extends Error {}

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

export async function runCli(argv: string[], io: CliIO = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }): Promise<number> {
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
    .action(async (path: string, opts: { format: string; output?: string; exclude: string[]; gitignore: boolean }) => {
      checkRoot(path);
      const report = await scan(path, { exclude: opts.exclude, gitignore: opts.gitignore });
      const text = RENDERERS[opts.format](report);
      if (opts.output) await writeFile(opts.output, text);
      else io.stdout(text);
      exitCode = EXIT.ok;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
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
  runCli(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => {
      process.stderr.write(`rustscout: internal error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 3;
    },
  );
}
