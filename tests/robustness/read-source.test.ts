import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSource, readSource, type SourceText } from '../../src/read-source.js';
import { tempDir, tempRepo } from './helpers.js';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const decoded = (buf: Buffer): SourceText => {
  const r = decodeSource(buf);
  if ('error' in r) throw new Error(`expected text, got error: ${r.error}`);
  return r;
};

describe('decodeSource: encodings the way CPython reads them', () => {
  it('reads Latin-1 with a PEP 263 coding line silently and correctly', () => {
    const r = decoded(latin1('# -*- coding: latin-1 -*-\nname = "caf\xe9"\n'));
    expect(r.text).toContain('café');
    expect(r.warnings).toEqual([]);
  });

  it('accepts the coding line on line 2 after a shebang, and Python spellings like utf_8 and iso8859_15', () => {
    expect(decoded(latin1('#!/usr/bin/env python\n# vim: set fileencoding=iso8859_15 :\nx = "\xa4"\n')).text).toContain('€');
    expect(decoded(Buffer.from('# coding: utf_8\nx = "é"\n')).warnings).toEqual([]);
  });

  it('ignores a coding comment on line 2 when line 1 is code (as CPython does)', () => {
    const r = decoded(latin1('x = 1\n# coding: latin-1\ny = "\xe9"\n'));
    expect(r.warnings.join()).toMatch(/invalid UTF-8/);
  });

  it('reads Latin-1 without a coding line as Latin-1, with a warning that CPython would refuse it', () => {
    const r = decoded(latin1('name = "caf\xe9"\n'));
    expect(r.text).toContain('café');
    expect(r.warnings).toEqual([expect.stringMatching(/invalid UTF-8 and no coding declaration/)]);
  });

  it('warns on an unknown or wrong coding declaration and still returns text', () => {
    expect(decoded(Buffer.from('# coding: uft-8\nx = 1\n')).warnings.join()).toMatch(/unknown coding declaration 'uft-8'/);
    const wrong = decoded(Buffer.from([...Buffer.from('# coding: euc-jp\nx = "'), 0x8e, 0x20, ...Buffer.from('"\n')]));
    expect(wrong.warnings.join()).toMatch(/not valid euc-jp/);
  });

  it('strips a UTF-8 BOM, and flags a BOM that contradicts the coding line', () => {
    const r = decoded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('def f():\n    return 1\n')]));
    expect(r.text.startsWith('def f')).toBe(true);
    expect(r.warnings).toEqual([]);
    const clash = decoded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# coding: latin-1\nx = 1\n')]));
    expect(clash.warnings.join()).toMatch(/byte-order mark contradicts/);
  });

  it('normalises CRLF and lone CR line endings so line numbers match the file', () => {
    expect(decoded(Buffer.from('a = 1\r\nb = 2\r\n')).text).toBe('a = 1\nb = 2\n');
    expect(decoded(Buffer.from('a = 1\rb = 2\r')).text).toBe('a = 1\nb = 2\n');
  });

  it('refuses binary content and UTF-16 sources with a reason', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(decodeSource(png)).toMatchObject({ code: 'binary' });
    const controls = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    expect(decodeSource(controls)).toMatchObject({ code: 'binary' });
    expect(decodeSource(Buffer.from('\ufeffx = 1\n', 'utf16le'))).toMatchObject({ code: 'encoding', error: expect.stringMatching(/UTF-16/) });
  });

  it('blanks a NUL byte far into an otherwise textual file and says so', () => {
    const r = decoded(Buffer.concat([Buffer.from('x = 1\n'.repeat(2000)), Buffer.from([0]), Buffer.from('\ny = 2\n')]));
    expect(r.text).not.toContain('\0');
    expect(r.text.split('\n')).toHaveLength(2003);
    expect(r.warnings.join()).toMatch(/NUL bytes/);
  });

  it('returns empty text for an empty file', () => {
    expect(decoded(Buffer.alloc(0))).toEqual({ text: '', warnings: [] });
  });
});

describe('readSource: never blocks, never leaves the root, never reads too much', () => {
  it('skips a FIFO without waiting for a writer', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.py')]);
    await expect(readSource(join(dir, 'pipe.py'))).resolves.toMatchObject({ code: 'not-a-file', error: expect.stringMatching(/FIFO/) });
  });

  it('skips a Unix socket', async () => {
    const dir = tempDir();
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, 'sock.py'), done));
    try {
      await expect(readSource(join(dir, 'sock.py'))).resolves.toMatchObject({ code: 'not-a-file' });
    } finally {
      server.close();
    }
  });

  it('reports a directory where a file was expected, and a file that has vanished', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pkg.py'));
    await expect(readSource(join(dir, 'pkg.py'))).resolves.toMatchObject({ code: 'not-a-file', error: expect.stringMatching(/directory/) });
    await expect(readSource(join(dir, 'gone.py'))).resolves.toMatchObject({ code: 'unreadable', error: expect.stringMatching(/vanished/) });
  });

  it('does not read through a symlink that resolves outside the root', async () => {
    const outside = tempRepo({ 'secret.py': 'TOKEN = "x"\n' });
    const root = tempDir();
    symlinkSync(join(outside, 'secret.py'), join(root, 'link.py'));
    const r = await readSource(join(root, 'link.py'), undefined, { root });
    expect(r).toMatchObject({ code: 'outside-root' });
    expect(JSON.stringify(r)).not.toContain('TOKEN');
    symlinkSync('link2.py', join(root, 'link1.py'));
    symlinkSync('link1.py', join(root, 'link2.py'));
    await expect(readSource(join(root, 'link1.py'), undefined, { root })).resolves.toMatchObject({ code: 'symlink', error: expect.stringMatching(/loop/) });
  });

  it('reads through a symlink that stays inside the root', async () => {
    const root = tempRepo({ 'real.py': 'x = 1\n' });
    symlinkSync('real.py', join(root, 'alias.py'));
    await expect(readSource(join(root, 'alias.py'), undefined, { root })).resolves.toEqual({ text: 'x = 1\n', warnings: [] });
  });

  it('refuses a file over the size limit before reading it, naming the limit and the flag', async () => {
    const root = tempRepo({ 'big.py': 'x = 1\n'.repeat(50_000) });
    const r = await readSource(join(root, 'big.py'), { maxBytes: 100_000 });
    expect(r).toMatchObject({ code: 'too-large', error: expect.stringMatching(/0\.1 MB per-file limit \(0\.3 MB\).*--max-file-size/) });
    await expect(readSource(join(root, 'big.py'), { maxBytes: 300_000 })).resolves.toHaveProperty('text');
  });

  it('reads a file whose size is exactly the limit', async () => {
    const root = tempRepo({ 'edge.py': 'x = 1\n' });
    await expect(readSource(join(root, 'edge.py'), { maxBytes: 6 })).resolves.toEqual({ text: 'x = 1\n', warnings: [] });
    writeFileSync(join(root, 'edge.py'), 'x = 12\n');
    await expect(readSource(join(root, 'edge.py'), { maxBytes: 6 })).resolves.toMatchObject({ code: 'too-large' });
  });
});
