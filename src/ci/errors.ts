/** A problem with the user's input (flag, config file, baseline file, git revision): exit code 2, one line on stderr. */
export class CiUsageError extends Error {
  override name = 'CiUsageError';
}
