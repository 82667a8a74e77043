import { createHash } from 'node:crypto';
import sharp from 'sharp';

const MiB = 1024 * 1024;

/** The largest upload taken: a phone's full-size photo is 2–12 MB. */
export const MAX_PHOTO_BYTES = 15 * MiB;
/** The stored photo's longer edge: enough to judge dots and blurring, not a phone's 8,000 px. */
export const PHOTO_MAX_EDGE = 2400;
export const THUMB_MAX_EDGE = 320;
// A phone photo is 12–50 megapixels; far more than this is a decompression bomb, not a scalp.
const MAX_INPUT_PIXELS = 100_000_000;
const RASTER_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'heif', 'tiff', 'gif']);

export type PhotoRefusal = 'not-an-image' | 'too-large' | 'unreadable';

/** An upload that is not a photo this server stores, with a message for the person who sent it. */
export class PhotoRefused extends Error {
  constructor(
    readonly reason: PhotoRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface PreparedPhoto {
  /** SHA-256 (hex) of `jpeg`: the same picture is the same file. */
  sha256: string;
  jpeg: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/**
 * Turns an upload into what is stored: turned upright by its EXIF orientation, at most
 * PHOTO_MAX_EDGE, re-encoded as JPEG with no metadata at all (sharp writes none unless told to
 * keep it: no GPS position, no phone make or model, no time), and a thumbnail of it.
 */
export async function preparePhoto(upload: Uint8Array): Promise<PreparedPhoto> {
  if (upload.byteLength > MAX_PHOTO_BYTES) {
    throw new PhotoRefused('too-large', `the photo is ${(upload.byteLength / MiB).toFixed(1)} MB; the limit is ${MAX_PHOTO_BYTES / MiB} MB`);
  }
  const format = await sharp(upload).metadata().then((m) => m.format, () => undefined);
  if (format === undefined || !RASTER_FORMATS.has(format)) {
    throw new PhotoRefused('not-an-image', 'this file is not a photo: send a JPEG, PNG, WebP or HEIF picture');
  }
  try {
    const full = await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(full.data)
      .resize({ width: THUMB_MAX_EDGE, height: THUMB_MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer();
    return {
      sha256: createHash('sha256').update(full.data).digest('hex'),
      jpeg: full.data,
      thumb,
      width: full.info.width,
      height: full.info.height,
    };
  } catch {
    throw new PhotoRefused(
      'unreadable',
      'the photo could not be read: it is damaged or cut short, or a HEIC the box cannot open (set the camera to "Most Compatible" or send a JPEG)',
    );
  }
}
