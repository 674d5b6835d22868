"""Soft targets: a teacher's nine-class probabilities per image, stored beside the hard labels and learnt on every
augmented crop (train.py --soft).

Stored as DIR/<stem>.soft.npy: float16 [9, H/4, W/4] (area-averaged), which keeps a photo's targets near 0.3 MB
and is upsampled back to the image's size when the image is read. The same file comes from
`label_images.py --soft` (BodyPix with test-time augmentation) and from `make_coco_labels.py` (the BodyPix maps
the fused labels were made from, with the closer views of small people).
"""

from __future__ import annotations

import os
from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F

from .labels import IGNORE

SUFFIX = ".soft.npy"


def quarter(probs: np.ndarray) -> np.ndarray:
    """[C, H, W] probabilities -> float16 [C, H/4, W/4], each cell the mean of the pixels it covers."""
    h, w = probs.shape[-2:]
    small = F.interpolate(torch.from_numpy(np.ascontiguousarray(probs, dtype=np.float32))[None],
                          size=(max(1, h // 4), max(1, w // 4)), mode="area")[0]
    return small.numpy().astype(np.float16)


def save(folder: str, stem: str, probs: np.ndarray) -> None:
    np.save(os.path.join(folder, stem + SUFFIX), quarter(probs))


def find(folders, stem: str) -> Optional[str]:
    for folder in folders:
        path = os.path.join(folder, stem + SUFFIX)
        if os.path.exists(path):
            return path
    return None


def upsample(small: np.ndarray, height: int, width: int) -> np.ndarray:
    """A stored target back to the image's size: float32 [H, W, C] (channels last, as the augmenter crops)."""
    t = torch.from_numpy(small.astype(np.float32))[None]
    big = F.interpolate(t, size=(height, width), mode="bilinear", align_corners=False)[0]
    return np.ascontiguousarray(big.permute(1, 2, 0).numpy())


def soft_loss(logits: torch.Tensor, targets: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """KL(target || student) averaged over the pixels that have a target (padding has none: all zeros) and where
    the target does not contradict a known hard label: where COCO's human labels overruled the teacher, only the
    hard loss speaks. logits [B, C, H, W], targets [B, C, H, W], labels [B, H, W] with IGNORE."""
    t = targets.float()
    has = t.sum(dim=1) > 0.5
    agrees = (labels == IGNORE) | (t.argmax(dim=1) == labels)
    use = has & agrees
    if not bool(use.any()):
        return logits.sum() * 0.0
    log_p = F.log_softmax(logits.float(), dim=1)
    tc = t.clamp_min(1e-6)
    kl = (t * (tc.log() - log_p)).sum(dim=1)
    return kl[use].mean()
