import sharp from 'sharp';

/** The GPS position a test photo carries: a street in London. */
export const PHOTO_GPS = { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 2634/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3940/100' };

/** A phone photo as it comes off the camera: turned by its EXIF orientation, with a GPS position and the phone's make and model. */
export function phonePhoto(width = 400, height = 300, colour = { r: 150, g: 110, b: 90 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: 'Acme', Model: 'Pocket 9 Pro' }, IFD3: PHOTO_GPS })
    .toBuffer();
}

/** A photo-like JPEG whose second half carries most of the picture: cut in two, it cannot be decoded. */
export function noisyJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
}
