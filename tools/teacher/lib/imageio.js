'use strict';
// Image decoding/encoding with pure-JS codecs: JPEG/PNG in (packed RGB), PNG out.

const fs = require('fs');
const path = require('path');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

/** Reads a JPEG or PNG file into { width, height, data: Uint8Array packed RGB }. */
function readImage(file) {
  const buf = fs.readFileSync(file);
  let width;
  let height;
  let rgba;
  if (buf[0] === 0xff && buf[1] === 0xd8) {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    ({ width, height } = img);
    rgba = img.data;
  } else if (buf.slice(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const img = PNG.sync.read(buf);
    ({ width, height } = img);
    rgba = img.data;
  } else {
    throw new Error(`${file}: not a JPEG or PNG file`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    data[i * 3] = rgba[j];
    data[i * 3 + 1] = rgba[j + 1];
    data[i * 3 + 2] = rgba[j + 2];
  }
  return { width, height, data };
}

/** Writes an 8-bit grayscale PNG (class ids). */
function writeGrayPng(file, width, height, values) {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
}

/** Writes an RGB PNG from packed RGB bytes. */
function writeRgbPng(file, width, height, rgb) {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = rgb[i * 3];
    png.data[i * 4 + 1] = rgb[i * 3 + 1];
    png.data[i * 4 + 2] = rgb[i * 3 + 2];
    png.data[i * 4 + 3] = 255;
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

/** The JPEG/PNG files among `inputs` (files, and folders read in name order). */
function listImages(inputs) {
  const files = [];
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new Error(`${input}: no such file or folder`);
    if (fs.statSync(input).isDirectory()) {
      for (const name of fs.readdirSync(input).sort()) if (/\.(jpe?g|png)$/i.test(name)) files.push(path.join(input, name));
    } else files.push(input);
  }
  return files;
}

module.exports = { listImages, readImage, writeGrayPng, writeRgbPng };
