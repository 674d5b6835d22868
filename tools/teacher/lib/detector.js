'use strict';
// BlazePose person detector: SSD anchors, box/keypoint decoding and non-maximum suppression.

const INPUT = 224;
const STRIDES = [8, 16, 32, 32, 32];
const ANCHORS_PER_LAYER = 2;

/** Anchor centres in [0,1] image units, in the order the detector emits them (2254 for 224x224). */
function makeAnchors(inputSize = INPUT) {
  const anchors = [];
  let layer = 0;
  while (layer < STRIDES.length) {
    // Consecutive layers with the same stride share one grid; each adds its anchors per cell.
    let last = layer;
    while (last + 1 < STRIDES.length && STRIDES[last + 1] === STRIDES[layer]) last++;
    const perCell = (last - layer + 1) * ANCHORS_PER_LAYER;
    const grid = Math.ceil(inputSize / STRIDES[layer]);
    for (let y = 0; y < grid; y++) {
      for (let x = 0; x < grid; x++) {
        for (let a = 0; a < perCell; a++) anchors.push([(x + 0.5) / grid, (y + 0.5) / grid]);
      }
    }
    layer = last + 1;
  }
  return anchors;
}

function sigmoid(x) {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Decodes raw detector output (Float32Array, n x 13) into detections in letterbox units [0,1]:
 * { score, box: [cx, cy, w, h], keypoints: [[x, y] x 4] }, keeping scores >= threshold.
 */
function decode(raw, anchors, threshold, inputSize = INPUT) {
  const out = [];
  for (let i = 0; i < anchors.length; i++) {
    const o = i * 13;
    const score = sigmoid(raw[o]);
    if (score < threshold) continue;
    const [ax, ay] = anchors[i];
    const box = [raw[o + 1] / inputSize + ax, raw[o + 2] / inputSize + ay, raw[o + 3] / inputSize, raw[o + 4] / inputSize];
    const keypoints = [];
    for (let k = 0; k < 4; k++) keypoints.push([raw[o + 5 + 2 * k] / inputSize + ax, raw[o + 6 + 2 * k] / inputSize + ay]);
    out.push({ score, box, keypoints });
  }
  return out;
}

function iou(a, b) {
  const ax0 = a[0] - a[2] / 2, ax1 = a[0] + a[2] / 2, ay0 = a[1] - a[3] / 2, ay1 = a[1] + a[3] / 2;
  const bx0 = b[0] - b[2] / 2, bx1 = b[0] + b[2] / 2, by0 = b[1] - b[3] / 2, by1 = b[1] + b[3] / 2;
  const iw = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
  const ih = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
  const inter = iw * ih;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression on the (head-sized) boxes, best score first. */
function nms(detections, iouThreshold) {
  const sorted = [...detections].sort((p, q) => q.score - p.score);
  const kept = [];
  for (const d of sorted) {
    if (kept.every((k) => iou(k.box, d.box) <= iouThreshold)) kept.push(d);
  }
  return kept;
}

module.exports = { INPUT, makeAnchors, decode, nms, iou, sigmoid };
