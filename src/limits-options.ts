/** The per-file limit flags (--max-file-size, --max-parse-ms): parsing, validation, defaults. */
import { InvalidArgumentError } from 'commander';
import { DEFAULT_ANALYSIS_LIMITS, type AnalysisLimits } from './analysis-limits.js';

const MB = 1024 * 1024;

function positive(value: string, unit: string): number {
  const n = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number of ${unit}, got '${value}'`);
  return n;
}

export const parseMegabytes = (value: string): number => positive(value, 'megabytes');
export const parseMilliseconds = (value: string): number => positive(value, 'milliseconds');

export const DEFAULT_MAX_FILE_SIZE_MB = DEFAULT_ANALYSIS_LIMITS.maxBytes / MB;
export const DEFAULT_MAX_PARSE_MS = DEFAULT_ANALYSIS_LIMITS.maxParseMs!;

export function analysisLimits(opts: { maxFileSize?: number; maxParseMs?: number }): AnalysisLimits {
  return {
    maxBytes: Math.floor((opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE_MB) * MB),
    maxParseMs: opts.maxParseMs ?? DEFAULT_MAX_PARSE_MS,
  };
}
