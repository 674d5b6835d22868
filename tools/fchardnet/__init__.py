"""FC-HarDNet-70 for human body-part segmentation (RosPartSeg's own definition)."""

from .model import FCHarDNet70, HarDBlock, count_parameters

__all__ = ["FCHarDNet70", "HarDBlock", "count_parameters"]
