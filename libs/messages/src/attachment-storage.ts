import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredFile {
  sha256: string;
  size: number;
  storageKey: string;
}

/** Where attachment bytes live. Local disk by default; an object store can implement the same. */
export abstract class AttachmentStorage {
  abstract put(content: Buffer): Promise<StoredFile>;
  abstract get(storageKey: string): Promise<Buffer>;
}

/**
 * Content-addressed files under DATA_DIR/attachments. Written to a temp name and renamed, so a crash
 * leaves either the whole file or none; a file whose message never committed is only an orphan.
 */
@Injectable()
export class LocalDiskStorage extends AttachmentStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.root = join(config.dataDir, 'attachments');
  }

  async put(content: Buffer): Promise<StoredFile> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const storageKey = `${sha256.slice(0, 2)}/${sha256}`;
    const dir = join(this.root, sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${randomUUID()}.tmp`);
    await writeFile(temp, content);
    await rename(temp, join(this.root, storageKey));
    return { sha256, size: content.length, storageKey };
  }

  get(storageKey: string): Promise<Buffer> {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(storageKey)) throw new Error(`bad storage key ${storageKey}`);
    return readFile(join(this.root, storageKey));
  }
}
