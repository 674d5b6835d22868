"""Label sets: class names, palette colours and left/right structure.

The default part set follows the kinematic chain and is clothing-independent. A YAML file can define
another set:

    classes:
      - {name: background, color: [0, 0, 0]}
      - {name: head, color: [255, 85, 0]}
      ...
    # optional: how the default part set's classes map onto this set (default name -> this set's name,
    # or null / "ignore" to mark ignore). Classes with the same name map onto themselves.
    from_default: {upper_arm: arm, lower_arm: arm}
    # optional: pairs of class names that swap under a horizontal flip (for sided label sets)
    flip_pairs: [[left_arm, right_arm]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

IGNORE = 255

DEFAULT_CLASSES: Tuple[str, ...] = (
    "background", "head", "torso", "upper_arm", "lower_arm", "hand", "upper_leg", "lower_leg", "foot",
)
DEFAULT_PALETTE: Tuple[Tuple[int, int, int], ...] = (
    (0, 0, 0), (255, 85, 0), (0, 170, 255), (255, 255, 0), (170, 255, 85),
    (255, 0, 255), (0, 255, 170), (85, 85, 255), (255, 170, 170),
)


@dataclass
class LabelSet:
    names: List[str]
    palette: List[Tuple[int, int, int]]
    flip_pairs: List[Tuple[int, int]] = field(default_factory=list)
    from_default: Optional[Dict[str, Optional[str]]] = None

    def __post_init__(self) -> None:
        if len(self.names) < 2:
            raise ValueError("a label set needs at least two classes")
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"duplicate class names in {self.names}")
        if len(self.palette) != len(self.names):
            raise ValueError(f"{len(self.names)} classes but {len(self.palette)} palette colours")
        if len(self.names) >= IGNORE:
            raise ValueError(f"at most {IGNORE - 1} classes (label {IGNORE} means ignore)")
        for colour in self.palette:
            if len(colour) != 3 or any(not 0 <= int(c) <= 255 for c in colour):
                raise ValueError(f"palette colour {colour} is not [r, g, b] in 0..255")

    @property
    def num_classes(self) -> int:
        return len(self.names)

    def flip_lut(self) -> np.ndarray:
        """256-entry table mapping each label to its mirror-image label (identity where unsided)."""
        lut = np.arange(256, dtype=np.uint8)
        for a, b in self.flip_pairs:
            lut[a], lut[b] = b, a
        return lut

    def default_lut(self) -> np.ndarray:
        """256-entry table mapping default-part-set labels onto this set (unmapped -> ignore)."""
        lut = np.full(256, IGNORE, dtype=np.uint8)
        index = {n: i for i, n in enumerate(self.names)}
        mapping = self.from_default or {}
        for i, name in enumerate(DEFAULT_CLASSES):
            target = mapping.get(name, name)
            if target is not None and target != "ignore":
                if target not in index:
                    raise ValueError(f"from_default maps '{name}' to unknown class '{target}'")
                lut[i] = index[target]
        return lut


def default_label_set() -> LabelSet:
    return LabelSet(list(DEFAULT_CLASSES), [tuple(c) for c in DEFAULT_PALETTE])


def label_set_from_dict(data: dict) -> LabelSet:
    if not isinstance(data, dict) or "classes" not in data:
        raise ValueError("label set YAML needs a 'classes' list")
    names, palette = [], []
    for i, entry in enumerate(data["classes"]):
        if isinstance(entry, str):
            names.append(entry)
            palette.append(DEFAULT_PALETTE[i] if i < len(DEFAULT_PALETTE) else _generated_colour(i))
        else:
            names.append(str(entry["name"]))
            colour = entry.get("color", entry.get("colour"))
            palette.append(tuple(int(c) for c in colour) if colour is not None else _generated_colour(i))
    index = {n: i for i, n in enumerate(names)}
    pairs = []
    for pair in data.get("flip_pairs", []) or []:
        if len(pair) != 2 or pair[0] not in index or pair[1] not in index:
            raise ValueError(f"flip pair {pair} must name two classes of the set")
        pairs.append((index[pair[0]], index[pair[1]]))
    return LabelSet(names, palette, pairs, data.get("from_default"))


def load_label_set(path: str) -> LabelSet:
    import yaml

    with open(path, "r", encoding="utf-8") as f:
        return label_set_from_dict(yaml.safe_load(f))


def _generated_colour(i: int) -> Tuple[int, int, int]:
    # Deterministic, well-spread colours for classes without one.
    return ((i * 97) % 256, (i * 57 + 85) % 256, (i * 151 + 170) % 256)
