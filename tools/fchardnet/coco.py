"""COCO person annotations as shared/datasets/coco-people holds them.

- `annotations/person_instances.json`: COCO json for images whose every person has a human-drawn mask
  (polygons or uncompressed RLE), keypoints in pixels, `iscrowd`.
- `labels/person_boxes/<id>.txt`: `0 cx cy w h` per person, normalised (YOLO form), crowd boxes included.
- `labels/person_keypoints/<id>.txt`: `0 cx cy w h` then 17 x (x y v), normalised.

Keypoints are (17, 3) float arrays in image pixels with v = 0 (not labelled), 1 (hidden), 2 (visible).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

KEYPOINTS = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
             "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
             "right_knee", "left_ankle", "right_ankle"]
KP = {name: i for i, name in enumerate(KEYPOINTS)}


@dataclass
class Person:
    box: np.ndarray                        # x0, y0, x1, y1 in pixels
    keypoints: Optional[np.ndarray] = None  # (17, 3)
    mask: Optional[np.ndarray] = None       # bool (H, W), human-drawn
    crowd: bool = False


@dataclass
class CocoImage:
    image_id: int
    file: str
    width: int
    height: int
    people: List[Person] = field(default_factory=list)
    masks_complete: bool = False  # every person of the image has a mask (person_instances.json)

    @property
    def stem(self) -> str:
        return os.path.splitext(os.path.basename(self.file))[0]


def decode_rle(counts: List[int], height: int, width: int) -> np.ndarray:
    """Uncompressed COCO RLE: alternating runs of 0 and 1, column-major (Fortran) order."""
    flat = np.zeros(height * width, dtype=bool)
    pos, value = 0, False
    for run in counts:
        if value:
            flat[pos:pos + run] = True
        pos += run
        value = not value
    if pos != height * width:
        raise ValueError(f"RLE covers {pos} pixels, image has {height * width}")
    return flat.reshape((width, height)).T


def polygons_to_mask(polygons: List[List[float]], height: int, width: int) -> np.ndarray:
    from PIL import Image, ImageDraw

    im = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(im)
    for poly in polygons:
        if len(poly) >= 6:
            draw.polygon([(poly[i], poly[i + 1]) for i in range(0, len(poly) - 1, 2)], fill=1, outline=1)
    return np.asarray(im, dtype=bool)


def segmentation_mask(seg, height: int, width: int) -> np.ndarray:
    if isinstance(seg, list):
        return polygons_to_mask(seg, height, width)
    if isinstance(seg, dict) and isinstance(seg.get("counts"), list):
        h, w = seg.get("size", [height, width])
        return decode_rle(seg["counts"], h, w)
    raise ValueError("compressed (string) RLE masks are not supported; expected polygons or uncompressed RLE")


def _read_rows(path: str) -> List[List[float]]:
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                rows.append([float(v) for v in parts])
    return rows


def _box_from_row(row: List[float], width: int, height: int) -> np.ndarray:
    cx, cy, w, h = row[1] * width, row[2] * height, row[3] * width, row[4] * height
    return np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dtype=np.float64)


def _box_iou(a: np.ndarray, b: np.ndarray) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def load_dataset(root: str) -> Dict[str, CocoImage]:
    """Every image of the folder, by stem, with what is known of its people. People come from the
    instance json where the image is there (masks, keypoints, crowd), else from the box files, with
    keypoint rows attached to the box they match best."""
    from PIL import Image

    images: Dict[str, CocoImage] = {}
    img_dir = os.path.join(root, "images")
    for name in sorted(os.listdir(img_dir)):
        if not name.lower().endswith((".jpg", ".jpeg", ".png")):
            continue
        with Image.open(os.path.join(img_dir, name)) as im:
            w, h = im.size
        stem = os.path.splitext(name)[0]
        images[stem] = CocoImage(int(stem), os.path.join(img_dir, name), w, h)

    inst_path = os.path.join(root, "annotations", "person_instances.json")
    if os.path.exists(inst_path):
        with open(inst_path) as f:
            data = json.load(f)
        by_id = {im.image_id: im for im in images.values()}
        for info in data["images"]:
            im = by_id.get(info["id"])
            if im is not None:
                im.masks_complete = True
        for ann in data["annotations"]:
            im = by_id.get(ann["image_id"])
            if im is None:
                continue
            x, y, bw, bh = ann["bbox"]
            kps = np.array(ann["keypoints"], dtype=np.float64).reshape(17, 3) if ann.get("keypoints") else None
            if kps is not None and not kps[:, 2].any():
                kps = None
            im.people.append(Person(np.array([x, y, x + bw, y + bh]), kps,
                                    segmentation_mask(ann["segmentation"], im.height, im.width), bool(ann["iscrowd"])))

    for stem, im in images.items():
        if im.masks_complete:
            continue
        box_file = os.path.join(root, "labels", "person_boxes", f"{stem}.txt")
        if os.path.exists(box_file):
            im.people = [Person(_box_from_row(r, im.width, im.height)) for r in _read_rows(box_file)]
        kp_file = os.path.join(root, "labels", "person_keypoints", f"{stem}.txt")
        if os.path.exists(kp_file):
            for r in _read_rows(kp_file):
                kps = np.array(r[5:5 + 51], dtype=np.float64).reshape(17, 3)
                kps[:, 0] *= im.width
                kps[:, 1] *= im.height
                box = _box_from_row(r, im.width, im.height)
                best = max(im.people, key=lambda p: _box_iou(p.box, box), default=None)
                if best is not None and best.keypoints is None and _box_iou(best.box, box) > 0.7:
                    best.keypoints = kps
                else:
                    im.people.append(Person(box, kps))
    return images


def from_blazepose(keypoints33: List[List[float]], min_visibility: float = 0.5) -> np.ndarray:
    """BlazePose's 33 landmarks (x, y, visibility) as COCO's 17 (v = 2 where visible enough, else 0)."""
    index = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]
    out = np.zeros((17, 3), dtype=np.float64)
    for i, j in enumerate(index):
        x, y, vis = keypoints33[j][:3]
        out[i] = (x, y, 2.0 if vis >= min_visibility else 0.0)
    return out
