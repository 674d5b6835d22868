"""Confusion-matrix metrics: per-class IoU, mean IoU, pixel accuracy (ignore label excluded)."""

from __future__ import annotations

from typing import Dict, List, Sequence

import numpy as np

from .labels import IGNORE


def confusion(pred: np.ndarray, target: np.ndarray, num_classes: int) -> np.ndarray:
    """num_classes x num_classes counts, rows = target, columns = prediction; IGNORE targets skipped."""
    if pred.shape != target.shape:
        raise ValueError(f"prediction {pred.shape} and target {target.shape} differ in shape")
    valid = target != IGNORE
    t = target[valid].astype(np.int64)
    p = pred[valid].astype(np.int64)
    if t.size and (t.max() >= num_classes or p.max() >= num_classes or p.min() < 0):
        raise ValueError("label or prediction outside the class range")
    return np.bincount(t * num_classes + p, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def scores(conf: np.ndarray, names: Sequence[str]) -> Dict[str, object]:
    """IoU per class (None where the class is absent from both target and prediction), mIoU over the
    classes that have an IoU, pixel accuracy."""
    conf = conf.astype(np.float64)
    tp = np.diag(conf)
    union = conf.sum(0) + conf.sum(1) - tp
    iou: List = [float(tp[i] / union[i]) if union[i] > 0 else None for i in range(len(names))]
    present = [v for v in iou if v is not None]
    total = conf.sum()
    return {
        "iou": dict(zip(names, iou)),
        "miou": float(np.mean(present)) if present else 0.0,
        "pixel_accuracy": float(tp.sum() / total) if total > 0 else 0.0,
        "pixels": int(total),
    }


def format_scores(result: Dict[str, object]) -> str:
    parts = [f"{name} {'-' if v is None else f'{v:.3f}'}" for name, v in result["iou"].items()]
    return f"mIoU {result['miou']:.3f}  pixel acc {result['pixel_accuracy']:.3f}  | " + ", ".join(parts)
