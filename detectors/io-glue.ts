import type { FunctionFacts } from '../src/python/facts.js';
import type { CallInfo, FileIndex } from './util.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { evidence, fileIndex, fnName, receiverOf, resolveName, rootOf, SiteTallies } from './util.js';

const ID = 'io-glue';

export type IoKind = 'file-io' | 'subprocess' | 'logging' | 'cli' | 'config' | 'db-client' | 'http-client';

const FILE_IO = /^(open|print|input|io\.open|os\.(remove|unlink|rename|renames|replace|makedirs|mkdir|listdir|scandir|walk|stat|lstat|rmdir|removedirs|chmod|chown|truncate|open|read|write|symlink|link|utime|path\.(exists|isfile|isdir|getsize|getmtime|islink))|shutil\.\w+|pathlib\.\w+|tempfile\.\w+|glob\.i?glob|fnmatch\.filter|gzip\.open|bz2\.open|lzma\.open|zipfile\.ZipFile|tarfile\.open|csv\.(reader|writer|DictReader|DictWriter)|json\.(load|dump)|pickle\.(load|dump)|marshal\.(load|dump)|shelve\.open|fileinput\.input|mmap\.mmap|aiofiles\.open)$/;
/** Method names that only file-like or path objects have. */
const FILE_METHODS = new Set(['read_text', 'write_text', 'read_bytes', 'write_bytes', 'iterdir', 'rglob', 'readlines', 'writelines', 'mkdir', 'unlink', 'touch']);
const SUBPROCESS = /^(subprocess\.\w+|os\.(system|popen|exec\w*|spawn\w*|startfile|posix_spawn\w*)|asyncio\.create_subprocess_(exec|shell)|pty\.spawn|pexpect\.\w+|sh\.\w+|plumbum\.\w+)$/;
const LOGGING = /^(logging\.\w+(\.\w+)*|structlog\.\w+|loguru\.logger\.\w+|warnings\.warn)$/;
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'fatal']);
const LOGGER_MAKER = /^(logging\.getLogger|logging\.LoggerAdapter|structlog\.get_logger|structlog\.getLogger)$/;
const CLI = /^(argparse\.\w+|optparse\.\w+|getopt\.\w+|click\.\w+|typer\.\w+|fire\.Fire|docopt\.docopt|docopt)$/;
const CLI_METHODS = new Set(['add_argument', 'parse_args', 'parse_known_args', 'add_subparsers', 'add_parser', 'add_argument_group', 'add_mutually_exclusive_group', 'command', 'option', 'argument']);
const CLI_MAKER = /^(argparse\.ArgumentParser|typer\.Typer|click\.Group|click\.group)$/;
const CONFIG = /^(os\.getenv|os\.environ\.get|os\.environ\.setdefault|os\.putenv|configparser\.\w+|dotenv\.\w+|tomllib\.loads?|tomli\.loads?|toml\.loads?|yaml\.(safe_load|load|full_load)|decouple\.config|environs\.\w+|dynaconf\.\w+|hydra\.\w+|omegaconf\.\w+)$/;
const SETTINGS_BASE = /^(pydantic\.BaseSettings|pydantic_settings\.BaseSettings)$/;
const DB_ROOTS = new Set(['sqlalchemy', 'psycopg', 'psycopg2', 'redis', 'pymongo', 'sqlite3', 'mysql', 'MySQLdb', 'pymysql', 'asyncpg', 'aiosqlite', 'motor', 'elasticsearch', 'cassandra', 'peewee', 'tortoise', 'aioredis', 'sqlmodel', 'databases', 'cx_Oracle', 'oracledb', 'pyodbc', 'duckdb', 'clickhouse_driver', 'neo4j', 'influxdb_client', 'pika', 'kafka', 'confluent_kafka', 'aiokafka', 'celery']);
const DB_METHODS = new Set(['execute', 'executemany', 'executescript', 'fetchone', 'fetchall', 'fetchmany', 'commit', 'rollback', 'cursor', 'scalars', 'scalar', 'query']);
const HTTP = /^(requests\.\w+(\.\w+)*|httpx\.\w+(\.\w+)*|urllib3\.\w+(\.\w+)*|urllib\.request\.\w+|http\.client\.\w+|aiohttp\.(ClientSession|request|TCPConnector)|grpc\.\w+(\.\w+)*|boto3\.\w+|botocore\.\w+(\.\w+)*|xmlrpc\.client\.\w+|websockets?\.(connect|create_connection|WebSocketApp)|smtplib\.\w+|ftplib\.\w+|imaplib\.\w+|poplib\.\w+|paramiko\.\w+|google\.cloud\.\w+(\.\w+)*|azure\.\w+(\.\w+)*|zeep\.Client)$/;
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'stream', 'urlopen']);

/** Every module root (and builtin) the patterns above can match: a call outside them is not I/O by module. */
const IO_ROOTS = new Set([
  'open', 'print', 'input', 'io', 'os', 'shutil', 'pathlib', 'tempfile', 'glob', 'fnmatch', 'gzip', 'bz2', 'lzma', 'zipfile', 'tarfile',
  'csv', 'json', 'pickle', 'marshal', 'shelve', 'fileinput', 'mmap', 'aiofiles', 'subprocess', 'asyncio', 'pty', 'pexpect', 'sh', 'plumbum',
  'logging', 'structlog', 'loguru', 'warnings', 'argparse', 'optparse', 'getopt', 'click', 'typer', 'fire', 'docopt', 'configparser',
  'dotenv', 'tomllib', 'tomli', 'toml', 'yaml', 'decouple', 'environs', 'dynaconf', 'hydra', 'omegaconf', 'requests', 'httpx', 'urllib3',
  'urllib', 'http', 'aiohttp', 'grpc', 'boto3', 'botocore', 'xmlrpc', 'websocket', 'websockets', 'smtplib', 'ftplib', 'imaplib', 'poplib',
  'paramiko', 'google', 'azure', 'zeep', ...DB_ROOTS,
]);
const BUILTIN_IO = new Set(['open', 'print', 'input']);

const LABEL: Record<IoKind, string> = {
  'file-io': 'file and console I/O',
  subprocess: 'subprocess and shell calls',
  logging: 'logging calls',
  cli: 'command-line parsing',
  config: 'configuration and environment reads',
  'db-client': 'database and message-broker client calls',
  'http-client': 'HTTP/RPC client calls',
};

/**
 * What kind of I/O a call is, if any: shared with the boundary shape of a function (doesIO).
 * `info.made` is the callee that produced the receiver, when the receiver is a bound name.
 */
export function ioKindOf(info: CallInfo, imported: Map<string, string>): IoKind | null {
  const byModule = IO_ROOTS.has(info.root) && (info.importedHead || BUILTIN_IO.has(info.name));
  if (!byModule) {
    // Only methods can still be I/O: on an object some I/O call made, or with a file-only name.
    if (!info.receiver) return null;
    const made = info.made;
    if (!made) return FILE_METHODS.has(info.method) ? 'file-io' : djangoQuery(info.name, imported) ? 'db-client' : null;
    if (!IO_ROOTS.has(rootOf(made))) return FILE_METHODS.has(info.method) ? 'file-io' : null;
  }
  return ioKindByPattern(info, imported);
}

/** `Model.objects.filter(...)` in a file that imports Django. */
function djangoQuery(name: string, imported: Map<string, string>): boolean {
  if (!name.includes('.objects.') || !/\.objects\.\w+$/.test(name)) return false;
  for (const m of imported.values()) if (m.startsWith('django')) return true;
  return false;
}

/** ioKindOf for a call that may be I/O: by module or on an object an I/O module made. */
function ioKindByPattern(info: CallInfo, imported: Map<string, string>): IoKind | null {
  const { resolved, method, root, receiver, made } = info;
  if (SUBPROCESS.test(resolved)) return 'subprocess';
  if (HTTP.test(resolved) || (made && HTTP.test(made) && HTTP_METHODS.has(method))) return 'http-client';
  if (DB_ROOTS.has(root) || (made && DB_ROOTS.has(rootOf(made))) || (imported.size > 0 && djangoQuery(info.name, imported))) return 'db-client';
  if (LOGGING.test(resolved) || (made && LOGGER_MAKER.test(made) && LOG_METHODS.has(method))) return 'logging';
  if (CLI.test(resolved) || (made && CLI_MAKER.test(made) && CLI_METHODS.has(method))) return 'cli';
  if (CONFIG.test(resolved)) return 'config';
  if (FILE_IO.test(resolved) || (receiver && FILE_METHODS.has(method)) || (made && FILE_IO.test(made))) return 'file-io';
  return null;
}

/** `cur.execute(...)`, `conn.commit()` in a file that imports a database client. */
function dbCursorCall(info: CallInfo, usesDb: boolean): boolean {
  return usesDb && info.receiver !== undefined && DB_METHODS.has(info.method);
}

export const ioGlue: CodeDetector = {
  id: ID,
  docs: {
    what: 'I/O-bound glue. Signals, each valued by the number of call sites and located at the first: `file-io` (open, os/shutil/pathlib/tempfile file operations, csv/json/pickle load and dump, print/input), `subprocess` (subprocess.*, os.system/popen/exec*), `logging` (logging.* and methods of loggers made by getLogger), `cli` (argparse/optparse/getopt/click/typer/fire calls and decorators, sys.argv reads), `config` (os.getenv, os.environ reads, configparser, dotenv, tomllib/yaml loads, pydantic BaseSettings classes), `db-client` (SQLAlchemy, psycopg, redis, pymongo, sqlite3 and other database or broker clients; cursor execute/fetch on them; Django ORM `.objects.` queries), `http-client` (requests, httpx, urllib3, urllib.request, http.client, aiohttp.ClientSession, grpc, boto3 and methods of sessions they make), and `entry-point` (value 1, at the `if __name__ == "__main__"` line).',
    why: 'Code whose time goes to disks, processes, databases and the network waits at the same speed in Rust: a port buys little and costs a second language. Entry points and CLIs mark a program (a whole-program move is possible) rather than a library kernel.',
    example: 'import argparse, logging, subprocess\nlog = logging.getLogger(__name__)\n\ndef main():\n    args = argparse.ArgumentParser().parse_args()\n    log.info("building %s", args)\n    subprocess.run(["make"], check=True)\n\nif __name__ == "__main__":\n    main()',
  },
  detect: detectIoGlue,
};

function usesDbClient(imported: Map<string, string>): boolean {
  for (const m of imported.values()) if (DB_ROOTS.has(rootOf(m))) return true;
  return false;
}

function ioCalls(fn: FunctionFacts, calls: CallInfo[], imported: Map<string, string>, usesDb: boolean, sites: SiteTallies<IoKind>): void {
  let function_: string | undefined;
  let named = false;
  for (let i = 0; i < calls.length; i++) {
    const info = calls[i];
    const kind = ioKindOf(info, imported) ?? (dbCursorCall(info, usesDb) ? 'db-client' : null);
    if (kind !== null) {
      if (!named) {
        function_ = fnName(fn);
        named = true;
      }
      sites.add(kind, info.line, function_, info.name);
    }
  }
}

/** `@click.command` style decorators (calls among them are counted with the calls). */
function cliDecorators(file: PyFileFacts, fn: FunctionFacts, ix: FileIndex, sites: SiteTallies<IoKind>): void {
  for (const d of fn.decorators) {
    if (d.includes('(')) continue; // a call: already counted with the calls of the enclosing scope
    const head = d;
    const resolved = resolveName(head, ix.imported);
    const receiver = receiverOf(head);
    const made = receiver ? ix.bindings.get(file.functions[0], receiver)?.callee : undefined;
    if (CLI.test(resolved) || (made && CLI_MAKER.test(made))) sites.add('cli', fn.line - 1, fnName(fn), `@${head}`);
  }
}

function detectIoGlue(file: PyFileFacts): Evidence[] {
  const ix = fileIndex(file);
  const imported = ix.imported;
  const usesDb = usesDbClient(imported);
  const sites = new SiteTallies<IoKind>();
  for (const fn of file.functions) {
    ioCalls(fn, ix.callsOf(fn), imported, usesDb, sites);
    if (fn.decorators.length > 0) cliDecorators(file, fn, ix, sites);
  }
  for (const read of file.attributeReads) {
    const name = read.name;
    if (name === 'sys.argv') sites.add('cli', read.line, undefined, name);
    else if (name === 'os.environ' || name === 'os.environb') sites.add('config', read.line, undefined, name);
    else if (name === 'sys.stdin' || name === 'sys.stdout') sites.add('file-io', read.line, undefined, name);
  }
  for (const cls of file.classes) {
    if (cls.bases.length > 0 && cls.bases.some((b) => SETTINGS_BASE.test(resolveName(b, imported)))) sites.add('config', cls.line, undefined, `class ${cls.name}`);
  }
  // Database clients imported but driven only through objects the file does not build (an ORM session passed in).
  for (const imp of file.imports) {
    if (imp.level === 0 && DB_ROOTS.has(rootOf(imp.module)) && !sites.has('db-client')) sites.add('db-client', imp.line, undefined, `import ${imp.module}`);
  }

  const out: Evidence[] = [];
  for (const [kind, s] of sites.byLine()) out.push(evidence(ID, kind, s.count, s.line, s.function, `${s.count} ${LABEL[kind]} (${s.examples.join(', ')})`));
  if (file.mainGuardLine !== null) {
    out.push(evidence(ID, 'entry-point', 1, file.mainGuardLine, undefined, 'runs as a program: `if __name__ == "__main__"` entry point'));
  }
  return out;
}
