"""Training augmentation: scale + crop (biased towards people), people composited onto other
backgrounds, horizontal flip with left/right classes swapped, colour jitter. NumPy + PIL only.

An optional soft target (float32 [H, W, C], a teacher's probabilities at the image's size) goes through the same
geometry as the label; where a crop leaves the image it is all zeros (no target), and a pasted person's background
is certain background."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import numpy as np

from .labels import IGNORE


def _resize(arr: np.ndarray, width: int, height: int, nearest: bool) -> np.ndarray:
    from PIL import Image

    im = Image.fromarray(arr)
    return np.asarray(im.resize((width, height), Image.NEAREST if nearest else Image.BILINEAR))


def _resize_soft(soft: Optional[np.ndarray], width: int, height: int) -> Optional[np.ndarray]:
    if soft is None:
        return None
    import torch
    import torch.nn.functional as F

    t = torch.from_numpy(np.ascontiguousarray(soft.transpose(2, 0, 1)))[None]
    out = F.interpolate(t, size=(height, width), mode="bilinear", align_corners=False)[0]
    return np.ascontiguousarray(out.permute(1, 2, 0).numpy())


def scale_pair(image: np.ndarray, label: np.ndarray, factor: float,
               aspect: float = 1.0, soft: Optional[np.ndarray] = None):
    """Scales by `factor`, and the height by `factor * aspect`. With `soft`, returns it scaled as a third item."""
    h, w = label.shape
    nw, nh = max(1, int(round(w * factor))), max(1, int(round(h * factor * aspect)))
    pair = _resize(image, nw, nh, False), _resize(label, nw, nh, True)
    return pair if soft is None else pair + (_resize_soft(soft, nw, nh),)


def crop_pair(image: np.ndarray, label: np.ndarray, size: Tuple[int, int], rng: np.random.Generator,
              centre: Optional[Tuple[int, int]] = None, fill: int = 0, soft: Optional[np.ndarray] = None):
    """Crops (height, width) `size`, padding with `fill` (image) and IGNORE (label) where the crop
    leaves the image. `centre` (y, x) biases the crop position. With `soft`, returns its crop (zeros outside
    the image) as a third item."""
    ch, cw = size
    h, w = label.shape
    if centre is None:
        y0 = int(rng.integers(min(0, h - ch), max(0, h - ch) + 1))
        x0 = int(rng.integers(min(0, w - cw), max(0, w - cw) + 1))
    else:
        y0 = int(centre[0] - ch // 2 + rng.integers(-ch // 4, ch // 4 + 1))
        x0 = int(centre[1] - cw // 2 + rng.integers(-cw // 4, cw // 4 + 1))
    out_img = np.full((ch, cw, 3), fill, dtype=np.uint8)
    out_lbl = np.full((ch, cw), IGNORE, dtype=np.uint8)
    out_soft = None if soft is None else np.zeros((ch, cw, soft.shape[2]), dtype=np.float32)
    sy0, sx0 = max(0, y0), max(0, x0)
    sy1, sx1 = min(h, y0 + ch), min(w, x0 + cw)
    if sy1 > sy0 and sx1 > sx0:
        out_img[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = image[sy0:sy1, sx0:sx1]
        out_lbl[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = label[sy0:sy1, sx0:sx1]
        if soft is not None:
            out_soft[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = soft[sy0:sy1, sx0:sx1]
    return (out_img, out_lbl) if soft is None else (out_img, out_lbl, out_soft)


def hflip_pair(image: np.ndarray, label: np.ndarray, flip_lut: np.ndarray, soft: Optional[np.ndarray] = None):
    pair = np.ascontiguousarray(image[:, ::-1]), np.ascontiguousarray(flip_lut[label[:, ::-1]])
    if soft is None:
        return pair
    flipped = np.empty_like(soft)
    flipped[:, :, flip_lut[:soft.shape[2]]] = soft[:, ::-1]  # class c's probability moves to its mirror class
    return pair + (flipped,)


def colour_jitter(image: np.ndarray, rng: np.random.Generator, strength: float = 0.3) -> np.ndarray:
    img = image.astype(np.float32)
    img *= 1 + rng.uniform(-strength, strength)  # brightness
    mean = img.mean()
    img = (img - mean) * (1 + rng.uniform(-strength, strength)) + mean  # contrast
    grey = img.mean(axis=2, keepdims=True)
    img = grey + (img - grey) * (1 + rng.uniform(-strength, strength))  # saturation
    img += rng.uniform(-12, 12, size=3).astype(np.float32)  # colour cast
    if rng.random() < 0.1:
        img = np.repeat(img.mean(axis=2, keepdims=True), 3, axis=2)
    return img.clip(0, 255).astype(np.uint8)


def person_bbox(label: np.ndarray) -> Optional[Tuple[int, int, int, int]]:
    ys, xs = np.nonzero(label != 0)
    if len(ys) == 0:
        return None
    return int(ys.min()), int(xs.min()), int(ys.max()) + 1, int(xs.max()) + 1


def composite(image: np.ndarray, label: np.ndarray, background: np.ndarray, size: Tuple[int, int],
              rng: np.random.Generator, aspect: float = 1.0, soft: Optional[np.ndarray] = None):
    """Pastes the people (every non-background pixel, ignore included) of a labelled image onto a
    random crop of a person-free background, at a random scale and position. With `soft`, returns the pasted
    target as a third item (certain background around the people)."""
    ch, cw = size
    bbox = person_bbox(label)
    bh, bw = background.shape[:2]
    s = max(ch / bh, cw / bw) * rng.uniform(1.0, 1.6)
    bg, _ = scale_pair(background, np.zeros(background.shape[:2], np.uint8), s)
    y = int(rng.integers(0, bg.shape[0] - ch + 1))
    x = int(rng.integers(0, bg.shape[1] - cw + 1))
    out_img = bg[y:y + ch, x:x + cw].copy()
    out_lbl = np.zeros((ch, cw), dtype=np.uint8)
    out_soft = None
    if soft is not None:
        out_soft = np.zeros((ch, cw, soft.shape[2]), dtype=np.float32)
        out_soft[:, :, 0] = 1.0

    def result():
        return (out_img, out_lbl) if soft is None else (out_img, out_lbl, out_soft)

    if bbox is None:
        return result()
    y0, x0, y1, x1 = bbox
    pad = 4
    y0, x0 = max(0, y0 - pad), max(0, x0 - pad)
    y1, x1 = min(label.shape[0], y1 + pad), min(label.shape[1], x1 + pad)
    p_img, p_lbl = image[y0:y1, x0:x1], label[y0:y1, x0:x1]
    p_soft = None if soft is None else soft[y0:y1, x0:x1]
    target_h = ch * rng.uniform(0.25, 1.1)
    f = target_h / p_lbl.shape[0]
    f = min(f, 1.2 * cw / p_lbl.shape[1])
    p_img, p_lbl = scale_pair(p_img, p_lbl, f, aspect)
    p_soft = _resize_soft(p_soft, p_lbl.shape[1], p_lbl.shape[0])
    ph, pw = p_lbl.shape
    oy = int(rng.integers(-ph // 4, max(1, ch - 3 * ph // 4)))
    ox = int(rng.integers(-pw // 4, max(1, cw - 3 * pw // 4)))
    sy0, sx0 = max(0, -oy), max(0, -ox)
    sy1, sx1 = min(ph, ch - oy), min(pw, cw - ox)
    if sy1 <= sy0 or sx1 <= sx0:
        return result()
    src_l = p_lbl[sy0:sy1, sx0:sx1]
    src_i = p_img[sy0:sy1, sx0:sx1]
    dst_l = out_lbl[oy + sy0:oy + sy1, ox + sx0:ox + sx1]
    dst_i = out_img[oy + sy0:oy + sy1, ox + sx0:ox + sx1]
    keep = src_l != 0
    dst_l[keep] = src_l[keep]
    dst_i[keep] = src_i[keep]
    if soft is not None:
        out_soft[oy + sy0:oy + sy1, ox + sx0:ox + sx1][keep] = p_soft[sy0:sy1, sx0:sx1][keep]
    return result()


def has_person(label: np.ndarray) -> bool:
    return bool(np.any((label != 0) & (label != IGNORE)))


def random_person_pixel(label: np.ndarray, rng: np.random.Generator) -> Optional[Tuple[int, int]]:
    ys, xs = np.nonzero((label != 0) & (label != IGNORE))
    if len(ys) == 0:
        return None
    i = int(rng.integers(0, len(ys)))
    return int(ys[i]), int(xs[i])


class Augmenter:
    """One training crop from a labelled image (and optional person-free backgrounds)."""

    def __init__(self, size: Tuple[int, int], flip_lut: np.ndarray, backgrounds: Sequence[np.ndarray] = (),
                 scale_range=(0.5, 2.0), composite_prob: float = 0.4, aspect_range=(0.7, 1.3)) -> None:
        self.size = size
        self.flip_lut = flip_lut
        self.backgrounds = list(backgrounds)
        self.scale_range = scale_range
        self.composite_prob = composite_prob
        # The node stretches every frame to the network's input (a 4:3 camera into 16:9 squashes
        # people by 0.75), so training shows people squashed and stretched too.
        self.aspect_range = aspect_range

    def __call__(self, image: np.ndarray, label: np.ndarray, rng: np.random.Generator,
                 soft: Optional[np.ndarray] = None):
        """(image, label) of one crop; with `soft` (float32 [H, W, C]), (image, label, soft)."""
        aspect = float(np.exp(rng.uniform(np.log(self.aspect_range[0]), np.log(self.aspect_range[1]))))
        # Only images with labelled people are cut out and pasted: an unlabelled frame (all ignore) would be
        # pasted whole, as a picture inside the background.
        if self.backgrounds and rng.random() < self.composite_prob and has_person(label):
            bg = self.backgrounds[int(rng.integers(0, len(self.backgrounds)))]
            out = composite(image, label, bg, self.size, rng, aspect, soft=soft)
        else:
            # Scale relative to a base that fits the crop's short side to the image's short side.
            base = min(self.size) / min(label.shape)
            f = base * float(np.exp(rng.uniform(np.log(self.scale_range[0]), np.log(self.scale_range[1]))))
            scaled = scale_pair(image, label, f, aspect, soft=soft)
            centre = random_person_pixel(scaled[1], rng) if rng.random() < 0.8 else None
            out = crop_pair(scaled[0], scaled[1], self.size, rng, centre,
                            soft=None if soft is None else scaled[2])
        if rng.random() < 0.5:
            out = hflip_pair(out[0], out[1], self.flip_lut, soft=None if soft is None else out[2])
        return (colour_jitter(out[0], rng),) + tuple(out[1:])
