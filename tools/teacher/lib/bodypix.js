'use strict';
// BodyPix 2.0 (MobileNetV1 0.75, Google, Apache-2.0) under tfjs-wasm, run as a raw graph model: for a
// window of an image it returns the person logit map and the 24 body-part logit maps at the output stride.
// Decoding, folding onto the project's classes and fusion with other sources happen in Python
// (tools/fchardnet/fusion.py), so this file only runs the network.

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');

let backendReady = null;
function initBackend() {
  if (!backendReady) {
    backendReady = (async () => {
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
      await tf.setBackend('wasm');
      await tf.ready();
    })();
  }
  return backendReady;
}

/** The network input side for a wanted size: BodyPix needs (multiple of the stride) + 1, so that output
 *  cell j sits exactly on input pixel stride * j and the grid's corners are the window's corners. */
function validSide(size, stride) {
  return Math.max(1, Math.round((size - 1) / stride)) * stride + 1;
}

/** Window geometry: the input size the network sees and the output grid it returns. The long side of the
 *  window is scaled to `resolution` (BodyPix tears large people apart at full resolution). */
function windowShape(w, h, resolution, stride) {
  const scale = resolution / Math.max(w, h);
  const inW = validSide(w * scale, stride);
  const inH = validSide(h * scale, stride);
  return { inW, inH, gridW: (inW - 1) / stride + 1, gridH: (inH - 1) / stride + 1 };
}

class BodyPix {
  /** dir: the folder with model-stride16.json / model-stride8.json and the weights file. */
  static async load(dir, stride = 16) {
    if (stride !== 8 && stride !== 16) throw new Error(`BodyPix output stride must be 8 or 16, not ${stride}`);
    const file = path.join(dir, `model-stride${stride}.json`);
    if (!fs.existsSync(file)) throw new Error(`BodyPix model not found: ${file}`);
    await initBackend();
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const weightSpecs = [].concat(...json.weightsManifest.map((g) => g.weights));
    const bin = Buffer.concat([].concat(...json.weightsManifest.map((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))))));
    const model = await tf.loadGraphModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    }));
    const self = new BodyPix();
    self.model = model;
    self.stride = stride;
    return self;
  }

  /** Runs one window [x0, y0, x1, y1] (image pixels, inclusive corners) of image { width, height, data RGB }.
   *  Returns { window, gridW, gridH, segments: Float32Array gridH*gridW, parts: Float32Array gridH*gridW*24 }:
   *  grid cell (i, j) is the image point x0 + j * (x1 - x0) / (gridW - 1), y0 + i * (y1 - y0) / (gridH - 1). */
  run(image, window, resolution) {
    const [x0, y0, x1, y1] = window;
    const shape = windowShape(x1 - x0 + 1, y1 - y0 + 1, resolution, this.stride);
    const out = tf.tidy(() => {
      const img = tf.tensor4d(image.data, [1, image.height, image.width, 3], 'int32').toFloat();
      const box = [[y0 / Math.max(1, image.height - 1), x0 / Math.max(1, image.width - 1),
        y1 / Math.max(1, image.height - 1), x1 / Math.max(1, image.width - 1)]];
      // cropAndResize samples the box's corners onto the crop's corner pixels (align-corners sampling).
      const crop = tf.image.cropAndResize(img, box, [0], [shape.inH, shape.inW], 'bilinear');
      const input = crop.div(127.5).sub(1);
      const [seg, parts] = this.model.execute({ sub_2: input }, ['float_segments', 'float_part_heatmaps']);
      return [seg.dataSync().slice(), parts.dataSync().slice(), seg.shape, parts.shape];
    });
    const [segments, parts, segShape, partShape] = out;
    if (segShape[1] !== shape.gridH || segShape[2] !== shape.gridW || partShape[3] !== 24) {
      throw new Error(`BodyPix returned ${segShape} / ${partShape}, expected grid ${shape.gridH}x${shape.gridW} with 24 parts`);
    }
    return { window, gridW: shape.gridW, gridH: shape.gridH, segments, parts };
  }
}

module.exports = { BodyPix, validSide, windowShape };
