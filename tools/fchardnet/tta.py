"""BodyPix with test-time augmentation: the whole image at several sizes and mirrored, plus a closer look at every
person that is small in the frame, their nine-class probabilities averaged per pixel.

BodyPix tears large people apart at high resolution and misses parts of small people at low resolution, and its
mistakes are not mirror-symmetric; averaging the probabilities of several views keeps what they agree on. The
nine classes have no left/right, so a mirrored view's probabilities are mirrored back without swapping channels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from .bodypix import BodyPixMobileNet, fold_probabilities, valid_side
from .labels import IGNORE


@dataclass
class TtaParams:
    sizes: Sequence[int] = (384, 512, 640)  # long side of the whole-image views
    flip: bool = True
    crop_size: int = 384  # long side of the view around a small person
    crop_margin: float = 0.25  # x the person's box, on every side
    small_person: float = 0.5  # a person whose box is shorter than this share of the image gets a closer view
    min_person_px: int = 24
    person_lo: float = 0.3  # the averaged person probability: under it background, over person_hi person,
    person_hi: float = 0.7  # between them ignore
    part_conf: float = 0.5  # a person pixel whose best part is less sure than this is ignore


def _view(net: BodyPixMobileNet, rgb: torch.Tensor, long_side: int, flip: bool) -> torch.Tensor:
    """Nine-class probabilities [9, H, W] of one view of rgb [3, H, W] (0-255) at the given long side."""
    h, w = rgb.shape[-2:]
    s = long_side / max(h, w)
    ih, iw = valid_side(h * s, net.output_stride), valid_side(w * s, net.output_stride)
    x = F.interpolate(rgb[None].float(), size=(ih, iw), mode="bilinear", align_corners=True)
    if flip:
        x = x.flip(-1)
    with torch.no_grad():
        seg, parts, _ = net(x)
    # Upsample the logits (not the probabilities), as fusion.py does with the Node teacher's grids.
    seg = F.interpolate(seg, size=(h, w), mode="bilinear", align_corners=True)
    parts = F.interpolate(parts, size=(h, w), mode="bilinear", align_corners=True)
    probs = fold_probabilities(seg, parts)[0]
    return probs.flip(-1) if flip else probs


def person_boxes(person: np.ndarray, min_px: int, max_boxes: int = 8) -> List[Tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1, inclusive) of the person areas (probability > 0.5) at least min_px tall, largest
    first. Fragments a few pixels apart (a person torn by the network) are one area; specks are dropped."""
    from scipy import ndimage

    mask = person > 0.5
    joined = ndimage.binary_dilation(mask, iterations=max(1, min_px // 8))
    regions, _ = ndimage.label(joined)
    boxes = []
    for i, sl in enumerate(ndimage.find_objects(regions), start=1):
        if sl is None or sl[0].stop - sl[0].start < min_px:
            continue
        area = int(np.count_nonzero(mask[sl] & (regions[sl] == i)))
        if area >= min_px * min_px // 4:
            boxes.append((area, (sl[1].start, sl[0].start, sl[1].stop - 1, sl[0].stop - 1)))
    boxes.sort(key=lambda b: -b[0])
    return [b for _, b in boxes[:max_boxes]]


def tta_probabilities(net: BodyPixMobileNet, image: np.ndarray, params: TtaParams = TtaParams()) -> np.ndarray:
    """Averaged nine-class probabilities [9, H, W] (class 0 background) of an RGB uint8 image."""
    rgb = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)
    h, w = image.shape[:2]
    flips = (False, True) if params.flip else (False,)
    total = torch.zeros(9, h, w)
    for size in params.sizes:
        for flip in flips:
            total += _view(net, rgb, size, flip)
    count = torch.full((1, h, w), float(len(params.sizes) * len(flips)))
    whole = (total / count).numpy()
    for x0, y0, x1, y1 in person_boxes(1.0 - whole[0], params.min_person_px):
        if y1 - y0 + 1 >= params.small_person * h:
            continue
        mx, my = params.crop_margin * (x1 - x0 + 1), params.crop_margin * (y1 - y0 + 1)
        cx0, cy0 = int(max(0, x0 - mx)), int(max(0, y0 - my))
        cx1, cy1 = int(min(w - 1, x1 + mx)), int(min(h - 1, y1 + my))
        crop = rgb[:, cy0:cy1 + 1, cx0:cx1 + 1]
        for flip in flips:
            total[:, cy0:cy1 + 1, cx0:cx1 + 1] += _view(net, crop, params.crop_size, flip)
        count[:, cy0:cy1 + 1, cx0:cx1 + 1] += len(flips)
    return (total / count).numpy()


def labels_from_probabilities(probs: np.ndarray, params: TtaParams = TtaParams(), ignore: bool = True) -> np.ndarray:
    """Class ids [H, W] uint8: background where the person probability is low, else the most likely part; with
    `ignore`, the unsure pixels (person probability between person_lo and person_hi, or a weak best part) are 255."""
    person = 1.0 - probs[0]
    part_probs = probs[1:] / np.maximum(person, 1e-6)[None]
    labels = (part_probs.argmax(axis=0) + 1).astype(np.uint8)
    labels[person <= 0.5] = 0
    if ignore:
        unsure = (person > params.person_lo) & (person < params.person_hi)
        unsure |= (person >= params.person_hi) & (part_probs.max(axis=0) < params.part_conf)
        labels[unsure] = IGNORE
    return labels
