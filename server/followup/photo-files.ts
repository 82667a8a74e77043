import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { syncPath } from '../backup/files.ts';

/** The photos folder in the data dir: never served as files, only through the audited API; backed up. */
export const PHOTOS_DIR = 'photos';

export type PhotoSize = 'full' | 'thumb';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Follow-up photos on disk, `<sha>.jpg` and `<sha>.thumb.jpg`: content-addressed, so a photo sent twice is one file. */
export class PhotoFiles {
  constructor(readonly dir: string) {}

  static inDataDir(dataDir: string): PhotoFiles {
    return new PhotoFiles(join(dataDir, PHOTOS_DIR));
  }

  file(sha256: string, size: PhotoSize): string {
    // The name comes from our own hash, never from a request; checked all the same, as it becomes a path.
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, size === 'full' ? `${sha256}.jpg` : `${sha256}.thumb.jpg`);
  }

  /** Writes the photo and its thumbnail unless they are there already; on disk before it returns. */
  async save(sha256: string, jpeg: Buffer, thumb: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.#write(this.file(sha256, 'thumb'), thumb);
    await this.#write(this.file(sha256, 'full'), jpeg);
    await syncPath(this.dir);
  }

  read(sha256: string, size: PhotoSize): Promise<Buffer> {
    return readFile(this.file(sha256, size));
  }

  /** Through a temporary name and a rename: a crash never leaves half a photo under its real name. */
  async #write(path: string, data: Buffer): Promise<void> {
    if (await stat(path).then(() => true, () => false)) return;
    const temporary = `${path}.${randomBytes(6).toString('hex')}.partial`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
