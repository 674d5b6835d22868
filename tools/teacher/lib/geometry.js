'use strict';
// Crop geometry shared by the detector (letterbox) and the landmark model (rotated square crop).
// A crop is described by centre (cx, cy) in image pixels, side length in image pixels, and a rotation
// in radians (positive turns the crop's axes clockwise on screen, y pointing down). Crop coordinates
// (u, v) run over [0, size) on both axes.

/** Maps a point of a size x size crop back into the image. */
function cropToImage(crop, size, u, v) {
  const c = Math.cos(crop.rotation);
  const s = Math.sin(crop.rotation);
  const ox = (u / size - 0.5) * crop.side;
  const oy = (v / size - 0.5) * crop.side;
  return [crop.cx + c * ox - s * oy, crop.cy + s * ox + c * oy];
}

/** Maps an image point into crop coordinates (inverse of cropToImage). */
function imageToCrop(crop, size, x, y) {
  const c = Math.cos(crop.rotation);
  const s = Math.sin(crop.rotation);
  const dx = x - crop.cx;
  const dy = y - crop.cy;
  const ox = c * dx + s * dy;
  const oy = -s * dx + c * dy;
  return [(ox / crop.side + 0.5) * size, (oy / crop.side + 0.5) * size];
}

/**
 * The person crop MediaPipe's pose pipeline uses: centred on the hip centre, side 2 x |scale point - hip
 * centre| x 1.25, rotated so that the scale point lies straight above the hip centre.
 */
function cropFromAlignmentPoints(hip, scalePoint, enlarge = 1.25) {
  const dx = scalePoint[0] - hip[0];
  const dy = scalePoint[1] - hip[1];
  let rotation = Math.PI / 2 - Math.atan2(-dy, dx);
  rotation -= 2 * Math.PI * Math.floor((rotation + Math.PI) / (2 * Math.PI)); // normalise to [-pi, pi)
  const side = 2 * Math.hypot(dx, dy) * enlarge;
  return { cx: hip[0], cy: hip[1], side, rotation };
}

/** Axis-aligned bounds (integer, clipped to the image) of a crop's square. */
function cropBounds(crop, width, height) {
  const half = (crop.side / 2) * (Math.abs(Math.cos(crop.rotation)) + Math.abs(Math.sin(crop.rotation)));
  return {
    x0: Math.max(0, Math.floor(crop.cx - half)),
    y0: Math.max(0, Math.floor(crop.cy - half)),
    x1: Math.min(width, Math.ceil(crop.cx + half)),
    y1: Math.min(height, Math.ceil(crop.cy + half)),
  };
}

/**
 * Samples an RGB image (Uint8Array, packed rgb) into a size x size float tensor (HWC) through a crop,
 * bilinearly; outside the image reads as black. `scale` and `offset` map 0..255 to the model's range.
 */
function sampleCrop(image, crop, size, scale, offset) {
  const { width, height, data } = image;
  const out = new Float32Array(size * size * 3);
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const [x, y] = cropToImage(crop, size, u + 0.5, v + 0.5);
      const fx = x - 0.5;
      const fy = y - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const ax = fx - x0;
      const ay = fy - y0;
      const o = (v * size + u) * 3;
      for (let ch = 0; ch < 3; ch++) {
        let acc = 0;
        for (let j = 0; j < 2; j++) {
          const yy = y0 + j;
          if (yy < 0 || yy >= height) continue;
          const wy = j ? ay : 1 - ay;
          for (let i = 0; i < 2; i++) {
            const xx = x0 + i;
            if (xx < 0 || xx >= width) continue;
            acc += wy * (i ? ax : 1 - ax) * data[(yy * width + xx) * 3 + ch];
          }
        }
        out[o + ch] = acc * scale + offset;
      }
    }
  }
  return out;
}

/** Bilinear read of a size x size single-channel map at crop coordinates (u, v); 0 outside. */
function sampleMap(map, size, u, v) {
  const fx = u - 0.5;
  const fy = v - 0.5;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  if (x0 < -1 || y0 < -1 || x0 >= size || y0 >= size) return 0;
  const ax = fx - x0;
  const ay = fy - y0;
  let acc = 0;
  for (let j = 0; j < 2; j++) {
    const yy = y0 + j;
    if (yy < 0 || yy >= size) continue;
    for (let i = 0; i < 2; i++) {
      const xx = x0 + i;
      if (xx < 0 || xx >= size) continue;
      acc += (j ? ay : 1 - ay) * (i ? ax : 1 - ax) * map[yy * size + xx];
    }
  }
  return acc;
}

module.exports = { cropToImage, imageToCrop, cropFromAlignmentPoints, cropBounds, sampleCrop, sampleMap };
