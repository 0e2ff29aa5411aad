/**
 * Reading the files a user names (schema, plan file, SQL script): one message for a file that
 * cannot be read, whichever command reads it — `cannot read <file>: it does not exist`.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';

/** A file named by the user could not be read; the message says which and why. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    /** The file as the user named it. */
    readonly file: string,
    /** Why, e.g. `it does not exist`. */
    readonly why: string,
  ) {
    super(`cannot read ${file}: ${why}`);
  }
}

/**
 * Why a read failed, in words: `it does not exist`, `permission denied`, `it is a directory`.
 *
 * @example describeReadError(Object.assign(new Error('x'), { code: 'ENOENT' })) // 'it does not exist'
 */
export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Throws `FileReadError` unless `path` is a readable file. `shown` is the name used in the
 * message (the path as given on the command line).
 *
 * @example await requireReadableFile(resolve(cwd, 'schema.yaml'), 'schema.yaml');
 */
export async function requireReadableFile(path: string, shown: string = path): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    await access(path, constants.R_OK);
  } catch (error) {
    throw new FileReadError(shown, describeReadError(error));
  }
}

/**
 * The text of a file the user named (UTF-8); `FileReadError` when it cannot be read.
 *
 * @example const sql = await readUserFile('init.sql');
 */
export async function readUserFile(path: string, shown: string = path): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new FileReadError(shown, describeReadError(error));
  }
}
