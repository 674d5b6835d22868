"""The BodyPix teacher, folded onto the default part set and fused with COCO's human labels.

Sources, best first:
- COCO's human-drawn person masks (where an image has them for every person) decide person against
  background; crowd regions and a thin band along each mask outline are ignore.
- Elsewhere BodyPix's person probability decides, with an ignore band between `person_lo` and
  `person_hi`; COCO's person boxes (when the image has them) mark BodyPix people outside every box, people
  BodyPix missed and people too small to label as ignore.
- BodyPix's 24 parts, folded onto the nine classes, give the part of each person pixel; a folded
  probability under `part_conf` is ignore.
- Keypoints (COCO's, or BlazePose's for images without them) check the geometry: an arm or leg pixel
  whose upper/lower class disagrees clearly with the nearer bone is ignore; hands, feet and heads far
  from their wrists, ankles and face points are ignore; face points correct the head.

Everything is deterministic (no randomness, fixed thresholds).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np

from .coco import KP, CocoImage, Person
from .labels import IGNORE
from .limbs import segment_projection

BACKGROUND, HEAD, TORSO, UPPER_ARM, LOWER_ARM, HAND, UPPER_LEG, LOWER_LEG, FOOT = range(9)
# BodyPix part channel -> default class (faces, arm front/back, hands, torso front/back, legs, feet).
BODYPIX_FOLD = np.array([HEAD, HEAD] + [UPPER_ARM] * 4 + [LOWER_ARM] * 4 + [HAND, HAND] + [TORSO, TORSO]
                        + [UPPER_LEG] * 4 + [LOWER_LEG] * 4 + [FOOT, FOOT], dtype=np.int64)


@dataclass
class FusionParams:
    person_lo: float = 0.3     # BodyPix person probability below: background
    person_hi: float = 0.7     # above: person; between: ignore
    part_conf: float = 0.5     # folded part probability needed to keep a part label
    mask_band: int = 2         # ignore band (pixels) on each side of a human-drawn mask outline
    min_person_px: float = 24  # people shorter than this (box height) are ignore
    missed_share: float = 0.15  # a box where BodyPix finds less person than this share is ignore
    box_margin: float = 0.15   # boxes grown by this share when testing "outside every box"
    limb_reach: float = 0.15   # x person height: how far from a bone a limb pixel may be checked
    limb_margin: float = 0.03  # x person height: how much nearer the other bone must be to disagree
    hand_reach: float = 0.12   # x person height: hand pixels farther than this from a wrist are ignore
    foot_reach: float = 0.12
    head_reach: float = 0.20


@dataclass
class BodyPixMaps:
    person: np.ndarray  # float32 (H, W), probability
    parts: np.ndarray   # float32 (9, H, W): folded part probabilities (channel 0 unused, zero)


def read_bodypix(path: str):
    """The bodypix_teacher.js file: header dict and a list of (window, seg (gh, gw), parts (gh, gw, 24))."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack_from("<I", data, 0)
    header = json.loads(data[4:4 + n].decode("utf-8"))
    offset = 4 + n
    windows = []
    for w in header["windows"]:
        gh, gw = w["gridH"], w["gridW"]
        seg = np.frombuffer(data, dtype="<f4", count=gh * gw, offset=offset).reshape(gh, gw)
        offset += 4 * gh * gw
        parts = np.frombuffer(data, dtype="<f4", count=gh * gw * 24, offset=offset).reshape(gh, gw, 24)
        offset += 4 * gh * gw * 24
        windows.append((w["window"], seg, parts))
    if offset != len(data):
        raise ValueError(f"{path}: {len(data) - offset} bytes left over after {len(windows)} windows")
    return header, windows


def _upsample(grid: np.ndarray, height: int, width: int) -> np.ndarray:
    """(C, gh, gw) -> (C, height, width), bilinear with the grid's corners on the window's corners."""
    import torch
    import torch.nn.functional as F

    t = torch.from_numpy(np.ascontiguousarray(grid, dtype=np.float32))[None]
    return F.interpolate(t, size=(height, width), mode="bilinear", align_corners=True)[0].numpy()


def compose(header: dict, windows) -> BodyPixMaps:
    """Whole-image maps: window 0 everywhere, each later window (a crop around a small person, seen at a
    higher resolution) in place of it inside its own rectangle."""
    height, width = header["height"], header["width"]
    person = np.zeros((height, width), dtype=np.float32)
    parts = np.zeros((9, height, width), dtype=np.float32)
    for (x0, y0, x1, y1), seg, part_logits in windows:
        h, w = y1 - y0 + 1, x1 - x0 + 1
        logits = np.concatenate([seg[None], np.moveaxis(part_logits, 2, 0)], axis=0)
        up = _upsample(logits, h, w)
        person[y0:y1 + 1, x0:x1 + 1] = 1.0 / (1.0 + np.exp(-up[0]))
        z = up[1:] - up[1:].max(axis=0, keepdims=True)
        e = np.exp(z)
        e /= e.sum(axis=0, keepdims=True)
        folded = np.zeros((9, h, w), dtype=np.float32)
        for c in range(1, 9):
            folded[c] = e[BODYPIX_FOLD == c].sum(axis=0)
        parts[:, y0:y1 + 1, x0:x1 + 1] = folded
    return BodyPixMaps(person, parts)


def bodypix_labels(maps: BodyPixMaps) -> np.ndarray:
    """BodyPix alone (the teacher's own answer, for the teacher's figures): person where its probability
    is above 0.5, the folded part of highest probability there."""
    labels = maps.parts[1:].argmax(axis=0).astype(np.uint8) + 1
    labels[maps.person <= 0.5] = BACKGROUND
    return labels


def nine_class_probabilities(maps: BodyPixMaps) -> np.ndarray:
    """[9, H, W]: background 1 - person, each part person x its folded part probability (they sum to 1)."""
    probs = maps.parts * maps.person[None]
    probs[BACKGROUND] = 1.0 - maps.person
    return probs


def segment_distance(px: np.ndarray, py: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return segment_projection(px, py, a, b)[0]


def _person_height(p: Person) -> float:
    h = p.box[3] - p.box[1]
    if p.keypoints is not None:
        k = p.keypoints[p.keypoints[:, 2] > 0]
        if len(k) >= 2:
            h = max(h, k[:, 1].max() - k[:, 1].min())
    return float(h)


def _box_slice(box: np.ndarray, grow: float, height: int, width: int):
    w, h = box[2] - box[0], box[3] - box[1]
    x0 = int(max(0, np.floor(box[0] - grow * w)))
    y0 = int(max(0, np.floor(box[1] - grow * h)))
    x1 = int(min(width, np.ceil(box[2] + grow * w) + 1))
    y1 = int(min(height, np.ceil(box[3] + grow * h) + 1))
    return slice(y0, y1), slice(x0, x1)


LIMBS = [  # (upper class, lower class, [(root, joint, end) per side])
    (UPPER_ARM, LOWER_ARM, [("left_shoulder", "left_elbow", "left_wrist"), ("right_shoulder", "right_elbow", "right_wrist")]),
    (UPPER_LEG, LOWER_LEG, [("left_hip", "left_knee", "left_ankle"), ("right_hip", "right_knee", "right_ankle")]),
]
ENDS = [(HAND, ["left_wrist", "right_wrist"], "hand_reach"), (FOOT, ["left_ankle", "right_ankle"], "foot_reach"),
        (HEAD, ["nose", "left_eye", "right_eye", "left_ear", "right_ear"], "head_reach")]
FACE = ["nose", "left_eye", "right_eye", "left_ear", "right_ear"]


def check_geometry(labels: np.ndarray, region: np.ndarray, kps: np.ndarray, height_px: float,
                   params: FusionParams, person_mask: Optional[np.ndarray] = None) -> None:
    """Applies one person's keypoints to `labels` in place, inside `region` (bool, the person's pixels
    or box). `person_mask` (human-drawn) lets the face points correct the head."""
    ys, xs = np.nonzero(region)
    if len(ys) == 0:
        return
    px, py = xs.astype(np.float64), ys.astype(np.float64)
    lab = labels[ys, xs]
    known = lambda name: kps[KP[name], 2] > 0  # noqa: E731
    pt = lambda name: kps[KP[name], :2]  # noqa: E731
    out = lab.copy()

    for upper, lower, sides in LIMBS:
        best = np.full(len(px), np.inf)
        verdict = np.zeros(len(px), dtype=np.int64)  # 0 unknown, else the geometric class
        gap = np.zeros(len(px))
        for root, joint, end in sides:
            if not (known(root) and known(joint) and known(end)):
                continue
            du = segment_distance(px, py, pt(root), pt(joint))
            dl = segment_distance(px, py, pt(joint), pt(end))
            d = np.minimum(du, dl)
            nearer = d < best
            best = np.where(nearer, d, best)
            verdict = np.where(nearer, np.where(du < dl, upper, lower), verdict)
            gap = np.where(nearer, np.abs(du - dl), gap)
        checked = ((lab == upper) | (lab == lower)) & (verdict > 0) & (best < params.limb_reach * height_px)
        disagree = checked & (lab != verdict) & (gap > params.limb_margin * height_px)
        out[disagree] = IGNORE

    for cls, names, reach_name in ENDS:
        pts = [pt(n) for n in names if known(n)]
        if not pts:
            continue
        d = np.min([np.hypot(px - p[0], py - p[1]) for p in pts], axis=0)
        out[(lab == cls) & (d > getattr(params, reach_name) * height_px)] = IGNORE

    if person_mask is not None:
        face = np.array([pt(n) for n in FACE if known(n)])
        if len(face) >= 2:
            centre = face.mean(axis=0)
            radius = max(float(np.max(np.hypot(*(face - centre).T))), 0.04 * height_px)
            inside = (np.hypot(px - centre[0], py - centre[1]) <= radius) & person_mask[ys, xs]
            out[inside & (out != IGNORE)] = HEAD
    labels[ys, xs] = out


def _band(mask: np.ndarray, width: int) -> np.ndarray:
    from scipy import ndimage

    if width <= 0:
        return np.zeros_like(mask)
    grown = ndimage.binary_dilation(mask, iterations=width)
    shrunk = ndimage.binary_erosion(mask, iterations=width, border_value=1)
    return grown & ~shrunk


def fuse(maps: BodyPixMaps, image: Optional[CocoImage], extra_keypoints: Sequence[np.ndarray] = (),
         params: FusionParams = FusionParams()) -> np.ndarray:
    """Label image (uint8, 255 = ignore) for one image. `image` carries COCO's people (None for an image
    without COCO labels); `extra_keypoints` are (17, 3) keypoint sets (BlazePose) for people COCO gives none."""
    height, width = maps.person.shape
    parts = maps.parts[1:]
    part = parts.argmax(axis=0).astype(np.uint8) + 1
    conf = parts.max(axis=0)
    people = list(image.people) if image is not None else []
    masked = image is not None and image.masks_complete

    if masked:
        person = np.zeros((height, width), dtype=bool)
        for p in people:
            if not p.crowd:
                person |= p.mask
        labels = np.where(person, part, BACKGROUND).astype(np.uint8)
        labels[person & ((conf < params.part_conf) | (maps.person < params.person_lo))] = IGNORE
        labels[_band(person, params.mask_band)] = IGNORE
        for p in people:
            if p.crowd:
                labels[p.mask] = IGNORE
    else:
        person = maps.person > params.person_hi
        labels = np.where(person, part, BACKGROUND).astype(np.uint8)
        labels[(maps.person >= params.person_lo) & ~person] = IGNORE
        labels[person & (conf < params.part_conf)] = IGNORE
        if people:
            inside = np.zeros((height, width), dtype=bool)
            for p in people:
                inside[_box_slice(p.box, params.box_margin, height, width)] = True
            labels[(maps.person >= params.person_lo) & ~inside] = IGNORE

    for p in people:
        ph = p.box[3] - p.box[1]
        sl = _box_slice(p.box, 0.0, height, width)
        region = p.mask if masked else None
        if p.crowd or ph < params.min_person_px:
            if region is not None:
                labels[region] = IGNORE
            else:
                labels[sl] = IGNORE
            continue
        if not masked and float((maps.person[sl] > 0.5).mean() if maps.person[sl].size else 0) < params.missed_share:
            labels[sl] = IGNORE  # BodyPix missed this person: neither parts nor background are known
            continue
        if p.keypoints is not None:
            if region is None:
                region = np.zeros((height, width), dtype=bool)
                region[_box_slice(p.box, 0.1, height, width)] = True
            check_geometry(labels, region & (labels != IGNORE), p.keypoints, _person_height(p), params,
                           p.mask if masked else None)

    for kps in extra_keypoints:
        vis = kps[kps[:, 2] > 0]
        if len(vis) < 4:
            continue
        box = np.array([vis[:, 0].min(), vis[:, 1].min(), vis[:, 0].max(), vis[:, 1].max()])
        region = np.zeros((height, width), dtype=bool)
        region[_box_slice(box, 0.25, height, width)] = True
        check_geometry(labels, region & (labels != IGNORE), kps, float(box[3] - box[1]) * 1.15, params)
    return labels


def crop_windows(image: CocoImage, min_px: float = 24, max_share: float = 0.5, grow: float = 0.2) -> List[List[int]]:
    """Extra BodyPix windows: a crop around each person small in the image (box height under max_share of
    the image), so that BodyPix sees them at a useful scale."""
    out = []
    for p in image.people:
        h = p.box[3] - p.box[1]
        if p.crowd or h < min_px or h >= max_share * image.height:
            continue
        sy, sx = _box_slice(p.box, grow, image.height, image.width)
        out.append([sx.start, sy.start, sx.stop - 1, sy.stop - 1])
    return out
