#!/usr/bin/env node
'use strict';
// BodyPix teacher pass: runs BodyPix on whole images and on extra windows (crops around small people) and
// writes the raw logit grids for tools/make_coco_labels.py, which folds and fuses them into labels.
//
//   node bodypix_teacher.js --model DIR --out DIR [--windows FILE.json] [--resolution 512]
//        [--crop-resolution 384] [--stride 16] IMAGE_OR_DIR...
//
// For each image it writes OUT/<stem>.bodypix.bin: a uint32 (little endian) header length, a JSON header
// { image, width, height, stride, windows: [{ window: [x0,y0,x1,y1], gridW, gridH }] }, then per window
// float32 person logits (gridH*gridW) and part logits (gridH*gridW*24, parts last). Window 0 is the whole
// image; --windows maps an image stem to more windows in image pixels. Deterministic: same input, same bytes.

const fs = require('fs');
const path = require('path');
const { BodyPix } = require('./lib/bodypix');
const { listImages, readImage } = require('./lib/imageio');

function parseArgs(argv) {
  const args = { model: null, out: null, windows: null, resolution: 512, cropResolution: 384, stride: 16, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--model') args.model = next();
    else if (a === '--out') args.out = next();
    else if (a === '--windows') args.windows = next();
    else if (a === '--resolution') args.resolution = Number(next());
    else if (a === '--crop-resolution') args.cropResolution = Number(next());
    else if (a === '--stride') args.stride = Number(next());
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.inputs.push(a);
  }
  return args;
}

function encode(image, file, stride, results) {
  const header = Buffer.from(JSON.stringify({
    image: path.basename(file), width: image.width, height: image.height, stride,
    windows: results.map((r) => ({ window: r.window, gridW: r.gridW, gridH: r.gridH })),
  }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  const chunks = [len, header];
  for (const r of results) {
    chunks.push(Buffer.from(r.segments.buffer, r.segments.byteOffset, r.segments.byteLength));
    chunks.push(Buffer.from(r.parts.buffer, r.parts.byteOffset, r.parts.byteLength));
  }
  return Buffer.concat(chunks);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || !args.model || !args.out || args.inputs.length === 0) {
    console.log('usage: node bodypix_teacher.js --model DIR --out DIR [--windows FILE.json] [--resolution 512] [--crop-resolution 384] [--stride 16] IMAGE_OR_DIR...');
    process.exit(args.help ? 0 : 2);
  }
  const extra = args.windows ? JSON.parse(fs.readFileSync(args.windows, 'utf8')) : {};
  fs.mkdirSync(args.out, { recursive: true });
  const net = await BodyPix.load(args.model, args.stride);
  for (const file of listImages(args.inputs)) {
    const t0 = Date.now();
    const image = readImage(file);
    const stem = path.basename(file).replace(/\.[^.]+$/, '');
    const results = [net.run(image, [0, 0, image.width - 1, image.height - 1], args.resolution)];
    for (const w of extra[stem] || []) {
      const x0 = Math.max(0, Math.round(w[0])), y0 = Math.max(0, Math.round(w[1]));
      const x1 = Math.min(image.width - 1, Math.round(w[2])), y1 = Math.min(image.height - 1, Math.round(w[3]));
      if (x1 - x0 < 8 || y1 - y0 < 8) continue;
      results.push(net.run(image, [x0, y0, x1, y1], args.cropResolution));
    }
    fs.writeFileSync(path.join(args.out, `${stem}.bodypix.bin`), encode(image, file, args.stride, results));
    console.log(`${path.basename(file)}: ${results.length} window(s), ${Date.now() - t0} ms`);
  }
}

main().catch((e) => {
  console.error(`bodypix_teacher: ${e.message}`);
  process.exit(1);
});
