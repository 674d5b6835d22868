"""Splitting whole-limb labels into upper/lower parts with body keypoints.

Fine human-parsing datasets label 'left arm' or 'pants' as a whole; the default part set wants
upper_arm / lower_arm / hand and upper_leg / lower_leg. Given a person's joints, each limb pixel takes
the nearest bone (shoulder-elbow, elbow-wrist, hip-knee, knee-ankle); arm pixels that lie beyond the
wrist along the forearm become hand. Pixels of a limb whose joints are missing become ignore.
"""

from __future__ import annotations

from typing import Dict, Optional, Sequence, Tuple

import numpy as np

# Joint names used by the splitter; dataset readers convert their own keypoint orders to these.
JOINTS = ("r_ankle", "r_knee", "r_hip", "l_hip", "l_knee", "l_ankle", "pelvis", "thorax", "upper_neck",
          "head_top", "r_wrist", "r_elbow", "r_shoulder", "l_shoulder", "l_elbow", "l_wrist")  # MPII order

ARM_BONES = (("r_shoulder", "r_elbow", "upper_arm"), ("r_elbow", "r_wrist", "lower_arm"),
             ("l_shoulder", "l_elbow", "upper_arm"), ("l_elbow", "l_wrist", "lower_arm"))
LEG_BONES = (("r_hip", "r_knee", "upper_leg"), ("r_knee", "r_ankle", "lower_leg"),
             ("l_hip", "l_knee", "upper_leg"), ("l_knee", "l_ankle", "lower_leg"))


def segment_projection(px: np.ndarray, py: np.ndarray, a, b) -> Tuple[np.ndarray, np.ndarray]:
    """Distance from points to segment a-b, and the unclamped projection parameter t (0 at a, 1 at b).
    The one point-to-segment formula of the label tools (fusion and posefuse use it too)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    len2 = dx * dx + dy * dy
    t = ((px - a[0]) * dx + (py - a[1]) * dy) / len2 if len2 > 0 else np.zeros_like(px, dtype=np.float64)
    tc = np.clip(t, 0.0, 1.0)
    return np.hypot(px - a[0] - tc * dx, py - a[1] - tc * dy), t


def split_limb(region: np.ndarray, joints: Optional[Dict[str, Tuple[float, float]]], limb: str,
               class_index: Dict[str, int], ignore: int, side: Optional[str] = None) -> np.ndarray:
    """Labels for the pixels of boolean `region` (H, W) of one person: returns uint8 (H, W) with the
    target class ids inside the region (ignore where the joints are unknown) and `ignore` outside.
    `limb` is 'arm' or 'leg'; `side` 'l', 'r' or None (both sides compete)."""
    out = np.full(region.shape, ignore, dtype=np.uint8)
    ys, xs = np.nonzero(region)
    if len(xs) == 0 or not joints:
        return out
    bones = ARM_BONES if limb == "arm" else LEG_BONES
    if side in ("l", "r"):
        bones = tuple(b for b in bones if b[0].startswith(side))
    bones = tuple(b for b in bones if b[0] in joints and b[1] in joints and b[2] in class_index)
    if not bones:
        return out
    px, py = xs + 0.5, ys + 0.5
    best = np.full(len(xs), np.inf)
    label = np.full(len(xs), ignore, dtype=np.uint8)
    for a_name, b_name, cls in bones:
        d, t = segment_projection(px, py, joints[a_name], joints[b_name])
        target = np.full(len(xs), class_index[cls], dtype=np.uint8)
        if cls == "lower_arm" and "hand" in class_index:
            target[t > 1.05] = class_index["hand"]  # past the wrist: hand
        closer = d < best
        best[closer] = d[closer]
        label[closer] = target[closer]
    out[ys, xs] = label
    return out
