/** Removes terminal control characters (ESC, BEL, C1 codes, newlines) from untrusted text. */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => (ch === '\t' ? ' ' : '?'));
}
