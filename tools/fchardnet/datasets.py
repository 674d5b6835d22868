"""Dataset readers mapping human-parsing datasets onto a label set.

Every reader yields samples of (RGB uint8 image (H, W, 3), label uint8 (H, W) in the target label set,
255 = ignore). Source classes are mapped by a YAML label map (tools/label_maps/*.yaml):

    source_classes: [background, hat, hair, ...]     # index = id in the dataset's label PNGs
    map:
      hat: head                 # target class name
      sunglasses: head
      left_arm: {split: arm, side: l}   # needs keypoints: nearest bone decides upper/lower/hand
      pants: {split: leg}
      bag: ignore               # or null
    # source classes not listed map to ignore

Supported layouts:
  pseudo  DIR/images/*.jpg|png + DIR/labels/<stem>.png   (the teacher's output; default part set ids)
  lip     LIP: TrainVal_images/{train,val}_images, TrainVal_parsing_annotations/{train,val}_segmentations,
          optional TrainVal_pose_annotations/lip_{train,val}_set.csv (16 MPII-order joints)
  cihp    CIHP: instance-level_human_parsing/{Training,Validation}/{Images,Category_ids}
  ppp     Pascal-Person-Part: JPEGImages/*.jpg + SegmentationPart/*.png (+ optional list file)
  mhp     MHP v2.0: LV-MHP-v2/{train,val}/{images,parsing_annos,pose_annos}; one PNG per person
          named <id>_<NN>_<kk>.png; pose_annos/<id>.mat (needs python3-scipy) with one array per person
          whose first 16 rows are MPII-order joints (x, y, ...)
"""

from __future__ import annotations

import csv
import glob
import os
import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .labels import DEFAULT_CLASSES, IGNORE, LabelSet
from .limbs import JOINTS, split_limb

LABEL_MAP_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "label_maps")
IMAGE_EXTS = (".jpg", ".jpeg", ".png")


def read_rgb(path: str) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.uint8).copy()


def read_label(path: str) -> np.ndarray:
    """A label image as class ids. Colour label files (MHP v2.0 saves its ids in 3 channels) give their
    first channel: converting them to grey would blend the channels into other ids."""
    from PIL import Image

    with Image.open(path) as im:
        if im.mode in ("RGB", "RGBA", "LA"):
            return np.asarray(im)[..., 0].astype(np.int64)
        if im.mode not in ("L", "P", "I", "I;16"):
            im = im.convert("L")
        return np.asarray(im).astype(np.int64)


@dataclass
class LabelMap:
    """Source class id -> target class id, plus the source ids that need a keypoint split."""
    lut: np.ndarray  # int64[256]: target id or IGNORE
    splits: Dict[int, Tuple[str, Optional[str]]]  # source id -> (limb, side)
    class_index: Dict[str, int]

    def apply(self, src: np.ndarray, people: Optional[List[Tuple[np.ndarray, Optional[dict]]]] = None) -> np.ndarray:
        """Maps a source label image. `people` (mask, joints) lets limb classes be split per person;
        without it, split classes become ignore."""
        if src.min() < 0 or src.max() > 255:
            raise ValueError(f"label values out of range 0..255 ({src.min()}..{src.max()})")
        out = self.lut[src].astype(np.uint8)
        for sid, (limb, side) in self.splits.items():
            region = src == sid
            if not region.any():
                continue
            out[region] = IGNORE
            for mask, joints in people or []:
                part = region & mask
                if part.any() and joints:
                    split = split_limb(part, joints, limb, self.class_index, IGNORE, side)
                    out[part] = split[part]
        return out


def load_label_map(path_or_name: str, labels: LabelSet) -> LabelMap:
    import yaml

    path = path_or_name
    if not os.path.exists(path):
        path = os.path.join(LABEL_MAP_DIR, f"{path_or_name}.yaml")
    with open(path, "r", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return label_map_from_dict(data, labels, path)


def label_map_from_dict(data: dict, labels: LabelSet, where: str = "label map") -> LabelMap:
    source = data.get("source_classes")
    if not source:
        raise ValueError(f"{where}: needs source_classes")
    index = {n: i for i, n in enumerate(labels.names)}
    lut = np.full(256, IGNORE, dtype=np.int64)
    splits: Dict[int, Tuple[str, Optional[str]]] = {}
    mapping = data.get("map", {}) or {}
    # Optional per-label-set override: a map for a custom set lives under map_for: {set_key: {...}}
    for sid, name in enumerate(source):
        target = mapping.get(name, name if name in index else None)
        if isinstance(target, dict):
            limb = target.get("split")
            if limb not in ("arm", "leg"):
                raise ValueError(f"{where}: {name}: split must be arm or leg")
            splits[sid] = (limb, target.get("side"))
        elif target is None or target == "ignore":
            continue
        elif target in index:
            lut[sid] = index[target]
        elif target in DEFAULT_CLASSES and labels.from_default is not None:
            mapped = labels.from_default.get(target, target)
            if mapped in index:
                lut[sid] = index[mapped]
        else:
            raise ValueError(f"{where}: {name} maps to '{target}', which is not a class of {labels.names}")
    return LabelMap(lut, splits, index)


class Sample:
    __slots__ = ("image_path", "load_label")

    def __init__(self, image_path: str, load_label: Callable[[], np.ndarray]) -> None:
        self.image_path = image_path
        self.load_label = load_label


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _images_in(folder: str) -> List[str]:
    return sorted(p for p in glob.glob(os.path.join(folder, "*")) if p.lower().endswith(IMAGE_EXTS))


def pseudo_samples(root: str, labels: LabelSet, names: Optional[Sequence[str]] = None) -> List[Sample]:
    """The teacher's output: images/ and labels/ with default-part-set ids (255 ignore)."""
    lut = labels.default_lut()
    img_dir = os.path.join(root, "images")
    lbl_dir = os.path.join(root, "labels")
    out = []
    for img in _images_in(img_dir):
        stem = _stem(img)
        if names is not None and stem not in names:
            continue
        lbl = os.path.join(lbl_dir, stem + ".png")
        if os.path.exists(lbl):
            out.append(Sample(img, lambda lbl=lbl: lut[np.clip(read_label(lbl), 0, 255)]))
    return out


def _mpii_joints(values: Sequence[float]) -> Dict[str, Tuple[float, float]]:
    """16 x (x, y, visible-ish) in MPII order -> dict of the joints that are present."""
    joints = {}
    for j, name in enumerate(JOINTS):
        if 3 * j + 1 >= len(values):
            break
        try:
            x, y = float(values[3 * j]), float(values[3 * j + 1])
        except (TypeError, ValueError):
            continue
        if np.isfinite(x) and np.isfinite(y) and x >= 0 and y >= 0:
            joints[name] = (x, y)
    return joints


def lip_samples(root: str, labels: LabelSet, split: str = "train", label_map: str = "lip") -> List[Sample]:
    lmap = load_label_map(label_map, labels)
    img_dir = os.path.join(root, "TrainVal_images", f"{split}_images")
    seg_dir = os.path.join(root, "TrainVal_parsing_annotations", f"{split}_segmentations")
    pose_csv = os.path.join(root, "TrainVal_pose_annotations", f"lip_{split}_set.csv")
    poses: Dict[str, dict] = {}
    if os.path.exists(pose_csv):
        with open(pose_csv, newline="") as f:
            for row in csv.reader(f):
                if row:
                    poses[_stem(row[0])] = _mpii_joints(row[1:])
    out = []
    for img in _images_in(img_dir):
        seg = os.path.join(seg_dir, _stem(img) + ".png")
        if not os.path.exists(seg):
            continue
        joints = poses.get(_stem(img))

        def load(seg=seg, joints=joints):
            src = read_label(seg)
            people = [(src > 0, joints)] if joints else None
            return lmap.apply(src, people)
        out.append(Sample(img, load))
    return out


def cihp_samples(root: str, labels: LabelSet, split: str = "Training", label_map: str = "cihp") -> List[Sample]:
    lmap = load_label_map(label_map, labels)
    base = os.path.join(root, "instance-level_human_parsing", split)
    if not os.path.isdir(base):
        base = os.path.join(root, split)
    out = []
    for img in _images_in(os.path.join(base, "Images")):
        seg = os.path.join(base, "Category_ids", _stem(img) + ".png")
        if os.path.exists(seg):
            out.append(Sample(img, lambda seg=seg: lmap.apply(read_label(seg))))
    return out


def ppp_samples(root: str, labels: LabelSet, list_file: Optional[str] = None, label_map: str = "pascal_person_part") -> List[Sample]:
    lmap = load_label_map(label_map, labels)
    names = None
    if list_file:
        with open(list_file) as f:
            names = {_stem(line.split()[0]) for line in f if line.strip()}
    out = []
    for img in _images_in(os.path.join(root, "JPEGImages")):
        if names is not None and _stem(img) not in names:
            continue
        seg = os.path.join(root, "SegmentationPart", _stem(img) + ".png")
        if os.path.exists(seg):
            out.append(Sample(img, lambda seg=seg: lmap.apply(read_label(seg))))
    return out


_MHP_PERSON = re.compile(r"^(?P<id>.+)_(?P<n>\d+)_(?P<k>\d+)$")


def mhp_person_files(anno_dir: str) -> Dict[str, List[str]]:
    """Groups MHP v2.0 per-person annotation PNGs by image id (<id>_<NN>_<kk>.png)."""
    groups: Dict[str, List[str]] = {}
    for path in sorted(glob.glob(os.path.join(anno_dir, "*.png"))):
        m = _MHP_PERSON.match(_stem(path))
        if m:
            groups.setdefault(m.group("id"), []).append(path)
    return groups


def _mhp_poses(mat_path: str) -> List[Optional[dict]]:
    """One entry per person: a 20 x 3 array whose first 16 rows are MPII-order joints (x, y, flag; -1 where
    missing), then the face and instance boxes' corners."""
    try:
        from scipy.io import loadmat
    except ImportError as e:  # pragma: no cover - depends on the machine
        raise RuntimeError("MHP v2.0 keypoints need python3-scipy (apt-get install python3-scipy)") from e
    data = loadmat(mat_path)
    people = []
    # person_0, person_1, ..., person_10: in numeric order, like the <kk> of the parsing files.
    keys = [k for k in data if re.fullmatch(r"person_\d+", k)]
    for key in sorted(keys, key=lambda k: int(k.split("_")[1])):
        arr = np.asarray(data[key], dtype=np.float64)
        people.append(_mpii_joints(arr[:16, :3].reshape(-1)) if arr.ndim == 2 and arr.shape[0] >= 16 else None)
    return people


def mhp_samples(root: str, labels: LabelSet, split: str = "train", label_map: str = "mhp_v2") -> List[Sample]:
    lmap = load_label_map(label_map, labels)
    base = os.path.join(root, split)
    groups = mhp_person_files(os.path.join(base, "parsing_annos"))
    out = []
    for img in _images_in(os.path.join(base, "images")):
        files = groups.get(_stem(img))
        if not files:
            continue
        mat = os.path.join(base, "pose_annos", _stem(img) + ".mat")

        def load(files=files, mat=mat):
            poses = _mhp_poses(mat) if os.path.exists(mat) else []
            return mhp_combine([read_label(f) for f in files], poses, lmap)
        out.append(Sample(img, load))
    return out


def mhp_combine(person_labels: List[np.ndarray], poses: List[Optional[dict]], lmap: LabelMap) -> np.ndarray:
    """Merges per-person MHP label maps into one target label image; each person's limbs are split
    with that person's joints. Where people overlap, the later annotation wins (as in MHP's own tools)."""
    shape = person_labels[0].shape
    out = np.zeros(shape, dtype=np.uint8)
    for k, src in enumerate(person_labels):
        if src.shape != shape:
            raise ValueError(f"MHP person annotations differ in size: {src.shape} vs {shape}")
        joints = poses[k] if k < len(poses) else None
        mapped = lmap.apply(src, [(src > 0, joints)] if joints else None)
        out[src > 0] = mapped[src > 0]
    return out


def _uniform_label(image_path: str, value: int) -> np.ndarray:
    from PIL import Image

    with Image.open(image_path) as im:
        width, height = im.size
    return np.full((height, width), value, dtype=np.uint8)


def unlabelled_samples(root: str, labels: LabelSet) -> List[Sample]:
    """Every image of a folder with no labels at all (every pixel ignore): only a teacher inside training
    (train.py --teacher) learns from them, e.g. frames of videos of people."""
    return [Sample(img, lambda img=img: _uniform_label(img, IGNORE)) for img in _images_in(root)]


def negative_samples(root: str, labels: LabelSet) -> List[Sample]:
    """Every image of a folder of photos that show no person: background everywhere."""
    return [Sample(img, lambda img=img: _uniform_label(img, 0)) for img in _images_in(root)]


READERS = {"pseudo": pseudo_samples, "images": unlabelled_samples, "negatives": negative_samples, "lip": lip_samples, "cihp": cihp_samples, "ppp": ppp_samples, "mhp": mhp_samples}


def samples_from_spec(spec: str, labels: LabelSet) -> List[Sample]:
    """'kind:path[:arg]' -> samples, e.g. 'pseudo:data/teacher', 'lip:/data/LIP:val', 'mhp:/data/LV-MHP-v2:train'.
    For 'pseudo' the optional arg is a text file listing the image stems to use (one per line); 'images:DIR'
    (no labels, for a teacher) and 'negatives:DIR' (photos without people) take every image of DIR."""
    kind, _, rest = spec.partition(":")
    if kind not in READERS or not rest:
        raise ValueError(f"dataset spec '{spec}' must be KIND:PATH[:ARG] with KIND in {sorted(READERS)}")
    path, _, arg = rest.partition(":")
    if not os.path.isdir(path):
        raise FileNotFoundError(f"dataset folder {path} does not exist")
    if kind == "pseudo":
        names = None
        if arg:
            with open(arg) as f:
                names = {line.strip() for line in f if line.strip()}
        found = pseudo_samples(path, labels, names)
    elif arg:
        found = READERS[kind](path, labels, arg)
    else:
        found = READERS[kind](path, labels)
    if not found:
        raise ValueError(f"dataset spec '{spec}' found no labelled images")
    return found
