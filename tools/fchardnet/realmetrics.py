"""Figures against COCO's human labels (not against a teacher): person IoU with the human-drawn masks,
keypoint part accuracy, and person recall. Default part set ids (0 background, 1 head, 2 torso,
3 upper_arm, 4 lower_arm, 5 hand, 6 upper_leg, 7 lower_leg, 8 foot)."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np

from .coco import KEYPOINTS, CocoImage

HEAD, TORSO, UPPER_ARM, LOWER_ARM, HAND, UPPER_LEG, LOWER_LEG, FOOT = range(1, 9)
# The classes a visible keypoint may lie in.
ALLOWED = {
    "nose": {HEAD}, "left_eye": {HEAD}, "right_eye": {HEAD}, "left_ear": {HEAD}, "right_ear": {HEAD},
    "left_shoulder": {TORSO, UPPER_ARM}, "right_shoulder": {TORSO, UPPER_ARM},
    "left_elbow": {UPPER_ARM, LOWER_ARM}, "right_elbow": {UPPER_ARM, LOWER_ARM},
    "left_wrist": {LOWER_ARM, HAND}, "right_wrist": {LOWER_ARM, HAND},
    "left_hip": {TORSO, UPPER_LEG}, "right_hip": {TORSO, UPPER_LEG},
    "left_knee": {UPPER_LEG, LOWER_LEG}, "right_knee": {UPPER_LEG, LOWER_LEG},
    "left_ankle": {LOWER_LEG, FOOT}, "right_ankle": {LOWER_LEG, FOOT},
}
ALLOWED_BY_INDEX = [ALLOWED[name] for name in KEYPOINTS]
RECALL_MIN_HEIGHT = 100.0  # px: people shorter than this are not counted for recall
RECALL_MIN_SHARE = 0.25    # share of a person's mask that must be labelled as some part


class RealLabelScores:
    """Accumulates the three figures over images. Person IoU and recall need images whose every person
    has a mask (others are skipped for them); keypoint accuracy needs keypoints."""

    def __init__(self) -> None:
        self.inter = 0
        self.union = 0
        self.per_image: List[float] = []
        self.kp_hit = 0
        self.kp_total = 0
        self.people_found = 0
        self.people_total = 0

    def add(self, pred: np.ndarray, image: CocoImage) -> None:
        if pred.shape != (image.height, image.width):
            raise ValueError(f"prediction {pred.shape} is not the image size {(image.height, image.width)}")
        part = pred > 0
        if image.masks_complete:
            person = np.zeros_like(part)
            crowd = np.zeros_like(part)
            for p in image.people:
                if p.crowd:
                    crowd |= p.mask
                else:
                    person |= p.mask
            scored = ~(crowd & ~person)  # crowd regions are ignored (unless a drawn person covers them)
            inter = int((part & person & scored).sum())
            union = int(((part | person) & scored).sum())
            self.inter += inter
            self.union += union
            if union > 0:
                self.per_image.append(inter / union)
            for p in image.people:
                if p.crowd or p.box[3] - p.box[1] <= RECALL_MIN_HEIGHT or not p.mask.any():
                    continue
                self.people_total += 1
                if part[p.mask].mean() >= RECALL_MIN_SHARE:
                    self.people_found += 1
        for p in image.people:
            if p.keypoints is None or p.crowd:
                continue
            for k, (x, y, v) in enumerate(p.keypoints):
                if v != 2:
                    continue
                xi, yi = int(np.floor(x)), int(np.floor(y))
                if not (0 <= xi < image.width and 0 <= yi < image.height):
                    continue
                self.kp_total += 1
                if int(pred[yi, xi]) in ALLOWED_BY_INDEX[k]:
                    self.kp_hit += 1

    def result(self) -> Dict[str, Optional[float]]:
        ratio = lambda a, b: (a / b) if b else None  # noqa: E731
        return {
            "person_iou_pooled": ratio(self.inter, self.union),
            "person_iou_per_image": float(np.mean(self.per_image)) if self.per_image else None,
            "keypoint_part_accuracy": ratio(self.kp_hit, self.kp_total),
            "person_recall": ratio(self.people_found, self.people_total),
            "images_with_masks": len(self.per_image),
            "keypoints": self.kp_total,
            "people_over_100px": self.people_total,
        }


FIGURES = [("person_iou_pooled", "person IoU, pooled", 0.80), ("person_iou_per_image", "person IoU, per image", 0.70),
           ("keypoint_part_accuracy", "keypoint part accuracy", 0.80), ("person_recall", "person recall (>100 px)", 0.90)]


def format_table(columns: Sequence[tuple]) -> str:
    """columns: (title, result dict) pairs, printed side by side with the targets."""
    head = f"  {'real labels (COCO)':<26}" + "".join(f"{t:>12}" for t, _ in columns) + f"{'target':>9}"
    rows = [head]
    for key, name, target in FIGURES:
        cells = "".join(f"{'-' if r.get(key) is None else format(r[key], '.3f'):>12}" for _, r in columns)
        rows.append(f"  {name:<26}{cells}{'>= ' + format(target, '.2f'):>9}")
    return "\n".join(rows)
