import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { noisyJpeg, phonePhoto } from '../../test/helpers/photos.ts';
import { MAX_PHOTO_BYTES, PHOTO_MAX_EDGE, PhotoRefused, preparePhoto, THUMB_MAX_EDGE } from './photos.ts';

async function refusal(upload: Uint8Array): Promise<string> {
  const error: unknown = await preparePhoto(upload).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PhotoRefused);
  return (error as PhotoRefused).reason;
}

describe('preparing a follow-up photo', () => {
  it('a phone photo with a GPS position, make and model is stored with no metadata at all, turned upright', async () => {
    const original = await phonePhoto();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('Pocket 9 Pro');
    expect(before.orientation).toBe(6);

    const photo = await preparePhoto(original);
    const after = await sharp(photo.jpeg).metadata();
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(photo.jpeg.includes('Acme')).toBe(false);
    expect((await sharp(photo.thumb).metadata()).exif).toBeUndefined();
    // Landscape pixels with "rotate 90°" in EXIF: stored as the portrait the camera saw.
    expect([photo.width, photo.height]).toEqual([300, 400]);
    expect([after.width, after.height]).toEqual([300, 400]);
  });

  it('a large photo comes down to its longest edge limit, its thumbnail further', async () => {
    const big = await sharp({ create: { width: 3600, height: 2400, channels: 3, background: '#806040' } }).png().toBuffer();
    const photo = await preparePhoto(big);
    expect([photo.width, photo.height]).toEqual([PHOTO_MAX_EDGE, 1600]);
    const thumb = await sharp(photo.thumb).metadata();
    expect([thumb.width, thumb.height]).toEqual([THUMB_MAX_EDGE, 213]);
  });

  it('the same picture twice gives the same bytes, so the same name on disk', async () => {
    const original = await phonePhoto();
    const [a, b] = [await preparePhoto(original), await preparePhoto(original)];
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).toBe(a.sha256);
    expect(b.jpeg.equals(a.jpeg)).toBe(true);
  });

  it('a file that is no picture, a cut-short JPEG and one over the size limit are refused, each for its reason', async () => {
    expect(await refusal(Buffer.from('%PDF-1.7 this is a consent form, not a photo'))).toBe('not-an-image');
    expect(await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'))).toBe('not-an-image');
    const whole = await noisyJpeg();
    expect(await refusal(whole.subarray(0, Math.floor(whole.length / 2)))).toBe('unreadable');
    expect(await refusal(new Uint8Array(MAX_PHOTO_BYTES + 1))).toBe('too-large');
  });
});
