"""BlazePose's landmarks over BodyPix's labels: where a limb, hand or foot is, drawn from the joints.

BodyPix labels an arm that crosses the body as torso and loses thin wrists and ankles against the background
(on the held-out split, 19 of 101 visible elbows and 15 of 102 wrists fall on torso, 18 of 82 ankles on
background). BlazePose places the joints, including hand (pinky, index, thumb) and foot (heel, toe) landmarks
that COCO does not have. Each visible bone becomes a capsule whose radius is a share of the person's body
scale (as tools/teacher/lib/parts.js draws them); only its core, well inside the limb, is painted:

- arms and legs over torso and other limbs (not over a head or background), hands and feet last;
- a core pixel that BodyPix gave to a different limb, hand or foot is a disagreement: ignore when ignore is
  wanted, BlazePose's class otherwise.

Landmarks below `min_visibility`, and people BlazePose did not accept (pose flag), paint nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .fusion import segment_distance
from .labels import IGNORE

BACKGROUND, HEAD, TORSO, UPPER_ARM, LOWER_ARM, HAND, UPPER_LEG, LOWER_LEG, FOOT = range(9)
LIMBS = {UPPER_ARM, LOWER_ARM, HAND, UPPER_LEG, LOWER_LEG, FOOT}

# MediaPipe pose landmark indices (33 per person).
NOSE, LEFT_EAR, RIGHT_EAR = 0, 7, 8
SIDES = {
    "left": dict(shoulder=11, elbow=13, wrist=15, pinky=17, index=19, thumb=21, hip=23, knee=25, ankle=27, heel=29,
                 toe=31),
    "right": dict(shoulder=12, elbow=14, wrist=16, pinky=18, index=20, thumb=22, hip=24, knee=26, ankle=28, heel=30,
                  toe=32),
}


@dataclass
class PoseParams:
    # chosen on the validation split (tools/label_images.py, docs/model.md)
    min_visibility: float = 0.85
    core: float = 0.6  # share of a capsule's radius that is painted
    # capsule radius x body scale, as parts.js
    radius: Dict[int, float] = field(default_factory=lambda: {
        UPPER_ARM: 0.13, LOWER_ARM: 0.11, HAND: 0.10, UPPER_LEG: 0.17, LOWER_LEG: 0.13, FOOT: 0.08})
    hand_reach: float = 1.4  # the hand capsule runs from the wrist this far past the palm's centre
    # classes whose core may also claim pixels BodyPix calls background. None by default: on the validation split
    # claiming background (for the wrists and ankles BodyPix loses) cost more person IoU than it won in keypoints
    over_background: frozenset = frozenset()


def body_scale(k: np.ndarray) -> float:
    """Torso length, shoulder width or head size, whichever is largest (a side view shortens the others)."""
    shoulders = (k[11, :2] + k[12, :2]) / 2
    hips = (k[23, :2] + k[24, :2]) / 2
    return float(max(np.hypot(*(shoulders - hips)), np.hypot(*(k[11, :2] - k[12, :2])),
                     2.5 * np.hypot(*(k[LEFT_EAR, :2] - k[RIGHT_EAR, :2])), 4.0))


def capsules(k: np.ndarray, params: PoseParams) -> List[Tuple[int, np.ndarray, np.ndarray, float]]:
    """(class, a, b, painted radius) of every bone whose landmarks are visible enough, painting order: legs,
    feet, arms, hands (what is usually in front comes last)."""
    s = body_scale(k)
    out: List[Tuple[int, np.ndarray, np.ndarray, float]] = []

    def bone(cls: int, a: int, b: int, *more: int) -> None:
        if min(k[i, 2] for i in (a, b) + more) >= params.min_visibility:
            out.append((cls, k[a, :2], k[b, :2], params.core * params.radius[cls] * s))

    for j in SIDES.values():
        bone(UPPER_LEG, j["hip"], j["knee"])
        bone(LOWER_LEG, j["knee"], j["ankle"])
    for j in SIDES.values():
        bone(FOOT, j["heel"], j["toe"])
        bone(FOOT, j["ankle"], j["toe"])
    for j in SIDES.values():
        bone(UPPER_ARM, j["shoulder"], j["elbow"])
        bone(LOWER_ARM, j["elbow"], j["wrist"])
    for j in SIDES.values():
        w = j["wrist"]
        if min(k[i, 2] for i in (w, j["pinky"], j["index"])) >= params.min_visibility:
            palm = (k[j["pinky"], :2] + k[j["index"], :2] + k[j["thumb"], :2]) / 3
            tip = k[w, :2] + (palm - k[w, :2]) * params.hand_reach
            out.append((HAND, k[w, :2], tip, params.core * params.radius[HAND] * s))
    return out


def _capsule_mask(shape: Tuple[int, int], a: np.ndarray, b: np.ndarray, r: float):
    """(slices, mask) of the pixels whose centres lie within r of segment ab, inside the image."""
    h, w = shape
    x0, x1 = int(max(0, np.floor(min(a[0], b[0]) - r))), int(min(w, np.ceil(max(a[0], b[0]) + r) + 1))
    y0, y1 = int(max(0, np.floor(min(a[1], b[1]) - r))), int(min(h, np.ceil(max(a[1], b[1]) + r) + 1))
    if x1 <= x0 or y1 <= y0:
        return None, None
    px, py = np.meshgrid(np.arange(x0, x1) + 0.5, np.arange(y0, y1) + 0.5)
    return (slice(y0, y1), slice(x0, x1)), segment_distance(px, py, a, b) <= r


def paint(labels: np.ndarray, people: Sequence[np.ndarray], params: PoseParams = PoseParams(),
          ignore: bool = True) -> np.ndarray:
    """labels [H, W] (class ids, IGNORE allowed) with every accepted person's limb cores painted over them.
    people: landmarks [33, 3] (x, y in pixels, visibility) of the people BlazePose accepted."""
    out = labels.copy()
    disputed = np.zeros(labels.shape, dtype=bool)
    for k in people:
        k = np.asarray(k, dtype=np.float64)
        for cls, a, b, r in capsules(k, params):
            where, mask = _capsule_mask(labels.shape, a, b, r)
            if where is None:
                continue
            before = labels[where]
            region = out[where]
            allowed = mask & (before != HEAD)
            if cls not in params.over_background:
                allowed &= before != BACKGROUND
            # BodyPix saw another limb here: the two teachers disagree.
            other_limb = allowed & np.isin(before, list(LIMBS - {cls}))
            region[allowed] = cls
            disputed[where] |= other_limb
    if ignore:
        out[disputed] = IGNORE
    return out
