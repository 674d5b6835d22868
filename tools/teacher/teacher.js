#!/usr/bin/env node
'use strict';
// BlazePose teacher: writes body-part pseudo-labels (class ids, 255 = ignore) for images of people.
//
//   node teacher.js --out DIR [--variant full|lite|heavy] [--preview] IMAGE_OR_DIR...
//
// For each image it writes DIR/<name>.png (8-bit label map at the image's size), DIR/<name>.json
// (people found: score, pose flag, 33 keypoints) and, with --preview, DIR/<name>_preview.png.

const fs = require('fs');
const path = require('path');
const { BlazePose } = require('./lib/blazepose');
const parts = require('./lib/parts');
const { listImages, readImage, writeGrayPng, writeRgbPng } = require('./lib/imageio');

const PALETTE = [[0, 0, 0], [255, 85, 0], [0, 170, 255], [255, 255, 0], [170, 255, 85], [255, 0, 255], [0, 255, 170], [85, 85, 255], [255, 170, 170]];

function parseArgs(argv) {
  const args = { out: null, variant: 'full', preview: false, score: 0.3, minFlag: 0.9, minVisibility: 0.5, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') args.out = next();
    else if (a === '--variant') args.variant = next();
    else if (a === '--preview') args.preview = true;
    else if (a === '--score') args.score = Number(next());
    else if (a === '--min-flag') args.minFlag = Number(next());
    else if (a === '--min-visibility') args.minVisibility = Number(next());
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.inputs.push(a);
  }
  if (!['full', 'lite', 'heavy'].includes(args.variant)) throw new Error(`--variant must be full, lite or heavy`);
  return args;
}

function preview(image, labels) {
  const out = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.width * image.height; i++) {
    const l = labels[i];
    for (let c = 0; c < 3; c++) {
      const px = image.data[i * 3 + c];
      if (l === parts.IGNORE) out[i * 3 + c] = Math.round(px * 0.4 + 128 * 0.6);
      else if (l === 0) out[i * 3 + c] = Math.round(px * 0.6);
      else out[i * 3 + c] = Math.round(px * 0.35 + PALETTE[l][c] * 0.65);
    }
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || !args.out || args.inputs.length === 0) {
    console.log('usage: node teacher.js --out DIR [--variant full|lite|heavy] [--preview] [--score 0.3] IMAGE_OR_DIR...');
    process.exit(args.help ? 0 : 2);
  }
  fs.mkdirSync(args.out, { recursive: true });
  const pose = await BlazePose.create(args.variant);
  const options = { ...parts.DEFAULTS, minVisibility: args.minVisibility };
  for (const file of listImages(args.inputs)) {
    const t0 = Date.now();
    const image = readImage(file);
    const people = parts.dedupe(pose.detect(image, args.score).map((d) => pose.pose(image, d)));
    for (const p of people) p.accepted = p.flag >= args.minFlag;
    const labels = parts.labelImage(image.width, image.height, people, options);
    const stem = path.basename(file).replace(/\.[^.]+$/, '');
    writeGrayPng(path.join(args.out, `${stem}.png`), image.width, image.height, labels);
    const summary = {
      image: path.basename(file), width: image.width, height: image.height, variant: args.variant,
      people: people.map((p) => ({
        score: +p.score.toFixed(3), flag: +p.flag.toFixed(3), accepted: p.accepted,
        keypoints: p.keypoints.map((k) => [+k[0].toFixed(1), +k[1].toFixed(1), +k[2].toFixed(3)]),
      })),
    };
    fs.writeFileSync(path.join(args.out, `${stem}.json`), JSON.stringify(summary));
    if (args.preview) writeRgbPng(path.join(args.out, `${stem}_preview.png`), image.width, image.height, preview(image, labels));
    const counts = new Array(parts.CLASSES.length + 1).fill(0);
    for (const l of labels) counts[l === parts.IGNORE ? parts.CLASSES.length : l]++;
    const accepted = people.filter((p) => p.accepted).length;
    console.log(`${path.basename(file)}: ${people.length} people (${accepted} accepted), ignore ${(100 * counts[parts.CLASSES.length] / labels.length).toFixed(1)}%, ` +
      `parts ${(100 * (labels.length - counts[0] - counts[parts.CLASSES.length]) / labels.length).toFixed(1)}%, ${Date.now() - t0} ms`);
  }
}

main().catch((e) => {
  console.error(`teacher: ${e.message}`);
  process.exit(1);
});
