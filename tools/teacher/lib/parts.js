'use strict';
// Turns BlazePose landmarks plus a person mask into body-part labels by geometry.
//
// Each part is a primitive (torso polygon, head disc, limb capsules from joint to joint, hand and foot
// capsules from their landmarks) with a radius proportional to the person's torso length. A pixel of
// the person mask takes the part whose normalised distance (distance / radius) is smallest. Pixels are
// marked IGNORE where the teacher is unsure: near a boundary between two parts, far from every part
// (mask spill onto a neighbour or a carried object), on the soft edge of the mask, where the winning
// part's landmarks are not visible, and where two people claim the same pixel with different parts.

const IGNORE = 255;
const CLASSES = ['background', 'head', 'torso', 'upper_arm', 'lower_arm', 'hand', 'upper_leg', 'lower_leg', 'foot'];
const C = Object.fromEntries(CLASSES.map((n, i) => [n, i]));

// MediaPipe pose landmark indices.
const L = {
  nose: 0, leftEar: 7, rightEar: 8, mouthLeft: 9, mouthRight: 10,
  leftShoulder: 11, rightShoulder: 12, leftElbow: 13, rightElbow: 14, leftWrist: 15, rightWrist: 16,
  leftPinky: 17, rightPinky: 18, leftIndex: 19, rightIndex: 20, leftThumb: 21, rightThumb: 22,
  leftHip: 23, rightHip: 24, leftKnee: 25, rightKnee: 26, leftAnkle: 27, rightAnkle: 28,
  leftHeel: 29, rightHeel: 30, leftFootIndex: 31, rightFootIndex: 32,
};

const DEFAULTS = {
  maskOn: 0.5, // mask probability above which a pixel belongs to the person
  maskUnsure: 0.25, // between this and maskOn: ignore
  maxDistance: 1.8, // normalised distance beyond which a mask pixel is not trusted to be this person's
  boundaryMargin: 0.12, // second-best part within this (relative) margin of the best: ignore
  minVisibility: 0.5, // landmark visibility below which a part's pixels are ignored
  radius: { head: 0.3, torso: 0.1, upper_arm: 0.13, lower_arm: 0.11, hand: 0.1, upper_leg: 0.17, lower_leg: 0.13, foot: 0.08 },
};

function mid(a, b) {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}
function dist(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function segmentDistance(px, py, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - a[0]) * dx + (py - a[1]) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(px - a[0] - t * dx, py - a[1] - t * dy);
}

function polygonDistance(px, py, poly) {
  let inside = false;
  let best = Infinity;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[j];
    const b = poly[i];
    if ((a[1] > py) !== (b[1] > py) && px < ((b[0] - a[0]) * (py - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    best = Math.min(best, segmentDistance(px, py, a, b));
  }
  return inside ? 0 : best;
}

/** Body scale: torso length (shoulder centre to hip centre), guarded against degenerate poses. */
function bodyScale(k) {
  const shoulders = mid(k[L.leftShoulder], k[L.rightShoulder]);
  const hips = mid(k[L.leftHip], k[L.rightHip]);
  const torso = dist(shoulders, hips);
  const shoulderWidth = dist(k[L.leftShoulder], k[L.rightShoulder]);
  const headSize = dist(k[L.leftEar], k[L.rightEar]) * 2.5;
  return Math.max(torso, shoulderWidth, headSize, 4);
}

/**
 * Part primitives of one person. `k` is 33 landmarks [x, y, visibility] in image pixels.
 * Returns [{ cls, kind: 'seg'|'poly'|'disc', pts, r, vis }].
 */
function primitives(k, options = DEFAULTS) {
  const s = bodyScale(k);
  const r = options.radius;
  const vis = (...ids) => Math.min(...ids.map((i) => k[i][2]));
  const prims = [];
  const seg = (cls, a, b, radius, v) => prims.push({ cls, kind: 'seg', pts: [a, b], r: radius * s, vis: v });

  // Head: a capsule along the body's up direction from below the mouth to above the eyes, sized from
  // the face landmarks (ear spacing for frontal views, eye-mouth spacing for profiles) and the torso.
  const shoulders = mid(k[L.leftShoulder], k[L.rightShoulder]);
  const eyes = mid(k[2], k[5]);
  const mouth = mid(k[L.mouthLeft], k[L.mouthRight]);
  const faceCentre = mid(eyes, mouth);
  const up = [faceCentre[0] - shoulders[0], faceCentre[1] - shoulders[1]];
  const upLen = Math.hypot(up[0], up[1]) || 1;
  const u = [up[0] / upLen, up[1] / upLen];
  const h = Math.max(dist(k[L.leftEar], k[L.rightEar]), 2.2 * dist(eyes, mouth), r.head * s);
  const chin = [mouth[0] - u[0] * 0.3 * h, mouth[1] - u[1] * 0.3 * h];
  const crown = [eyes[0] + u[0] * 0.45 * h, eyes[1] + u[1] * 0.45 * h];
  prims.push({ cls: C.head, kind: 'seg', pts: [chin, crown], r: 0.55 * h, vis: vis(L.nose, L.leftEar, L.rightEar) });

  prims.push({
    cls: C.torso, kind: 'poly', r: r.torso * s, vis: vis(L.leftShoulder, L.rightShoulder, L.leftHip, L.rightHip),
    pts: [k[L.leftShoulder], k[L.rightShoulder], k[L.rightHip], k[L.leftHip]].map((p) => [p[0], p[1]]),
  });

  for (const side of ['left', 'right']) {
    const S = (n) => L[side + n];
    seg(C.upper_arm, k[S('Shoulder')], k[S('Elbow')], r.upper_arm, vis(S('Shoulder'), S('Elbow')));
    seg(C.lower_arm, k[S('Elbow')], k[S('Wrist')], r.lower_arm, vis(S('Elbow'), S('Wrist')));
    const palm = [(k[S('Pinky')][0] + k[S('Index')][0] + k[S('Thumb')][0]) / 3, (k[S('Pinky')][1] + k[S('Index')][1] + k[S('Thumb')][1]) / 3];
    const tip = [k[S('Wrist')][0] + (palm[0] - k[S('Wrist')][0]) * 1.4, k[S('Wrist')][1] + (palm[1] - k[S('Wrist')][1]) * 1.4];
    seg(C.hand, k[S('Wrist')], tip, r.hand, vis(S('Wrist'), S('Pinky'), S('Index')));
    seg(C.upper_leg, k[S('Hip')], k[S('Knee')], r.upper_leg, vis(S('Hip'), S('Knee')));
    seg(C.lower_leg, k[S('Knee')], k[S('Ankle')], r.lower_leg, vis(S('Knee'), S('Ankle')));
    seg(C.foot, k[S('Heel')], k[S('FootIndex')], r.foot, vis(S('Heel'), S('FootIndex')));
    seg(C.foot, k[S('Ankle')], k[S('FootIndex')], r.foot, vis(S('Ankle'), S('FootIndex')));
  }
  return prims;
}

function primitiveDistance(p, x, y) {
  const d = p.kind === 'poly' ? polygonDistance(x, y, p.pts) : segmentDistance(x, y, p.pts[0], p.pts[1]);
  return d / p.r;
}

/**
 * Labels an image. `people`: [{ keypoints: 33 x [x, y, vis], mask(x, y) -> probability, bounds:
 * {x0,y0,x1,y1}, accepted: bool }]. Returns Uint8Array(width * height) with class ids and IGNORE.
 */
function labelImage(width, height, people, options = DEFAULTS) {
  const n = width * height;
  const labels = new Uint8Array(n); // background by default
  const bestD = new Float32Array(n).fill(Infinity);
  const unsure = new Uint8Array(n); // claimed, but on a boundary, contested or not visible
  const soft = new Uint8Array(n); // soft mask edge or a rejected pose: ignore unless someone claims it
  for (const person of people) {
    const { x0, y0, x1, y1 } = person.bounds;
    const prims = person.accepted ? primitives(person.keypoints, options) : [];
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = y * width + x;
        const m = person.mask(x + 0.5, y + 0.5);
        if (m < options.maskUnsure) continue;
        if (!person.accepted || m < options.maskOn) {
          soft[i] = 1;
          continue;
        }
        let best = Infinity;
        let bestCls = -1;
        let bestVis = 0;
        let second = Infinity;
        for (const p of prims) {
          const d = primitiveDistance(p, x + 0.5, y + 0.5);
          if (d < best) {
            if (p.cls !== bestCls) second = best;
            best = d;
            bestCls = p.cls;
            bestVis = p.vis;
          } else if (d < second && p.cls !== bestCls) {
            second = d;
          }
        }
        if (best > options.maxDistance) {
          soft[i] = 1; // mask spill onto someone or something else: not this person's pixel
          continue;
        }
        const sure = bestVis >= options.minVisibility && second - best > options.boundaryMargin * Math.max(best, 0.5);
        if (best < bestD[i]) {
          // Another person already claimed it with a different part at a similar distance: unsure.
          const contested = bestD[i] < Infinity && labels[i] !== bestCls && bestD[i] - best < options.boundaryMargin * Math.max(best, 0.5);
          labels[i] = bestCls;
          bestD[i] = best;
          unsure[i] = sure && !contested ? 0 : 1;
        } else if (labels[i] !== bestCls && best - bestD[i] < options.boundaryMargin * Math.max(bestD[i], 0.5)) {
          unsure[i] = 1;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (bestD[i] < Infinity ? unsure[i] : soft[i]) labels[i] = IGNORE;
  }
  return labels;
}

/**
 * Drops poses that describe the same person twice (found from two detections): same shoulders and
 * hips within a fraction of the body scale. Keeps the one with the higher pose flag.
 */
function dedupe(people, tolerance = 0.35) {
  const ids = [L.leftShoulder, L.rightShoulder, L.leftHip, L.rightHip, L.nose];
  const sorted = [...people].sort((a, b) => b.flag - a.flag);
  const kept = [];
  for (const p of sorted) {
    const s = bodyScale(p.keypoints);
    const same = kept.some((q) => ids.reduce((acc, i) => acc + dist(p.keypoints[i], q.keypoints[i]), 0) / ids.length < tolerance * s);
    if (!same) kept.push(p);
  }
  return kept;
}

module.exports = { dedupe,  IGNORE, CLASSES, L, DEFAULTS, primitives, labelImage, segmentDistance, polygonDistance, bodyScale };
