"""Preprocessing and prediction shared by training validation and evaluation."""

from __future__ import annotations

from typing import Tuple

import numpy as np
import torch
import torch.nn.functional as F

MEAN_BGR = np.array([103.53, 116.28, 123.675], dtype=np.float32)
STD_BGR = np.array([57.375, 57.12, 58.395], dtype=np.float32)


def normalise(rgb: np.ndarray) -> np.ndarray:
    """RGB uint8 (H, W, 3) -> float32 (3, H, W), BGR channel order, mean/std normalised."""
    bgr = rgb[..., ::-1].astype(np.float32)
    return np.ascontiguousarray(((bgr - MEAN_BGR) / STD_BGR).transpose(2, 0, 1))


def resize_rgb(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    from PIL import Image

    if rgb.shape[1] == width and rgb.shape[0] == height:
        return rgb
    return np.asarray(Image.fromarray(rgb).resize((width, height), Image.BILINEAR))


def predict_probs(model: torch.nn.Module, rgb: np.ndarray, size: Tuple[int, int]) -> torch.Tensor:
    """Class probabilities (C, H, W) at the image's own size: stretch to the network input
    (width, height), run, upsample the stride-4 logits bilinearly, softmax."""
    h, w = rgb.shape[:2]
    x = torch.from_numpy(normalise(resize_rgb(rgb, size[0], size[1])))[None]
    with torch.no_grad():
        logits = model(x)
        logits = F.interpolate(logits, size=(h, w), mode="bilinear", align_corners=False)
        return torch.softmax(logits[0], 0)


def predict_labels(model: torch.nn.Module, rgb: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    return predict_probs(model, rgb, size).argmax(0).numpy().astype(np.uint8)


def overlay(rgb: np.ndarray, labels: np.ndarray, palette, alpha: float = 0.55) -> np.ndarray:
    """Image blended with the palette colour of each label (background and ignore left as they are)."""
    pal = np.zeros((256, 3), dtype=np.float32)
    pal[: len(palette)] = np.asarray(palette, dtype=np.float32)
    colour = pal[labels]
    blend = np.where(((labels > 0) & (labels < len(palette)))[..., None], (1 - alpha) * rgb + alpha * colour, rgb * 0.7)
    return blend.clip(0, 255).astype(np.uint8)
