'use strict';
// Unit tests of the teacher's pure parts (no models, no npm packages needed): node --test tools/teacher/test/
const test = require('node:test');
const assert = require('node:assert/strict');
const geo = require('../lib/geometry');
const det = require('../lib/detector');
const parts = require('../lib/parts');

test('crop transform round-trips and keeps the scale point straight above the hip', () => {
  const crop = geo.cropFromAlignmentPoints([100, 200], [130, 160]);
  assert.ok(Math.abs(crop.side - 2 * 50 * 1.25) < 1e-9);
  const [u, v] = geo.imageToCrop(crop, 256, 130, 160);
  assert.ok(Math.abs(u - 128) < 1e-6, `u ${u}`); // straight above the centre
  assert.ok(v < 128);
  const [x, y] = geo.cropToImage(crop, 256, u, v);
  assert.ok(Math.abs(x - 130) < 1e-6 && Math.abs(y - 160) < 1e-6);
  const upright = geo.cropFromAlignmentPoints([50, 50], [50, 10]);
  assert.ok(Math.abs(upright.rotation) < 1e-12);
});

test('anchors: 2254 in emission order, first and last cell centres', () => {
  const a = det.makeAnchors();
  assert.equal(a.length, 28 * 28 * 2 + 14 * 14 * 2 + 7 * 7 * 6);
  assert.deepEqual(a[0], [0.5 / 28, 0.5 / 28]);
  assert.deepEqual(a[1], [0.5 / 28, 0.5 / 28]);
  assert.deepEqual(a[2], [1.5 / 28, 0.5 / 28]);
  assert.deepEqual(a[a.length - 1], [6.5 / 7, 6.5 / 7]);
});

test('decode adds offsets to anchors and nms drops overlapping boxes', () => {
  const anchors = [[0.5, 0.5], [0.25, 0.25]];
  const raw = new Float32Array(26);
  raw[0] = 5; raw[1] = 22.4; raw[3] = 44.8; raw[4] = 44.8; raw[5] = -22.4; // anchor 0: score ~1
  raw[13] = -5; // anchor 1: score ~0
  const found = det.decode(raw, anchors, 0.5);
  assert.equal(found.length, 1);
  assert.ok(Math.abs(found[0].box[0] - 0.6) < 1e-6 && Math.abs(found[0].box[2] - 0.2) < 1e-6);
  assert.ok(Math.abs(found[0].keypoints[0][0] - 0.4) < 1e-6);
  const kept = det.nms([{ score: 0.9, box: [0.5, 0.5, 0.2, 0.2] }, { score: 0.8, box: [0.51, 0.5, 0.2, 0.2] }, { score: 0.7, box: [0.9, 0.9, 0.1, 0.1] }], 0.3);
  assert.deepEqual(kept.map((k) => k.score), [0.9, 0.7]);
});

function standingPerson() {
  // A frontal person ~100 px tall centred at x=50 in a 100 x 120 image (image left = person's right).
  const k = Array.from({ length: 33 }, () => [50, 20, 1]);
  const set = (i, x, y) => { k[i] = [x, y, 1]; };
  set(0, 50, 14); set(2, 53, 11); set(5, 47, 11); set(7, 56, 13); set(8, 44, 13); set(9, 52, 17); set(10, 48, 17);
  set(11, 60, 28); set(12, 40, 28); set(13, 64, 44); set(14, 36, 44); set(15, 66, 58); set(16, 34, 58);
  set(17, 67, 63); set(18, 33, 63); set(19, 66, 64); set(20, 34, 64); set(21, 65, 62); set(22, 35, 62);
  set(23, 56, 58); set(24, 44, 58); set(25, 57, 80); set(26, 43, 80); set(27, 57, 102); set(28, 43, 102);
  set(29, 57, 106); set(30, 43, 106); set(31, 60, 108); set(32, 40, 108);
  return k;
}

test('labelImage puts parts where the skeleton is, background outside the mask', () => {
  const k = standingPerson();
  const person = { keypoints: k, accepted: true, bounds: { x0: 0, y0: 0, x1: 100, y1: 120 }, mask: (x) => (x > 25 && x < 75 ? 1 : 0) };
  const labels = parts.labelImage(100, 120, [person]);
  const at = (x, y) => labels[y * 100 + x];
  assert.equal(at(50, 12), parts.CLASSES.indexOf('head'));
  assert.equal(at(50, 42), parts.CLASSES.indexOf('torso'));
  assert.equal(at(62, 36), parts.CLASSES.indexOf('upper_arm'));
  assert.equal(at(65, 51), parts.CLASSES.indexOf('lower_arm'));
  assert.equal(at(44, 69), parts.CLASSES.indexOf('upper_leg'));
  assert.equal(at(57, 92), parts.CLASSES.indexOf('lower_leg'));
  assert.equal(at(10, 60), 0); // outside the mask
});

test('rejected poses and invisible parts become ignore, not labels', () => {
  const k = standingPerson();
  for (const i of [13, 15, 17, 19, 21]) k[i][2] = 0.1; // person's left arm not visible
  const mask = () => 1;
  const bounds = { x0: 0, y0: 0, x1: 100, y1: 120 };
  const labels = parts.labelImage(100, 120, [{ keypoints: k, accepted: true, bounds, mask }]);
  assert.equal(labels[51 * 100 + 65], parts.IGNORE);
  const rejected = parts.labelImage(100, 120, [{ keypoints: k, accepted: false, bounds, mask }]);
  assert.ok(rejected.every((v) => v === parts.IGNORE));
});

test('dedupe keeps one of two near-identical poses', () => {
  const a = { keypoints: standingPerson(), flag: 0.95 };
  const b = { keypoints: standingPerson().map(([x, y, v]) => [x + 1, y, v]), flag: 0.99 };
  const c = { keypoints: standingPerson().map(([x, y, v]) => [x + 60, y, v]), flag: 0.9 };
  const kept = parts.dedupe([a, b, c]);
  assert.equal(kept.length, 2);
  assert.equal(kept[0], b);
});
