"""FC-HarDNet-70, written for RosPartSeg from the papers' description (see shared/design/model.md).

The network ends at stride 4: it returns class logits at 1/4 of the input size. The final x4
upsample and the argmax are left to the consumer (the C# pipeline fuses them), which saves work
and avoids resize quirks in some inference engines.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

STEM_CHANNELS = (16, 24, 32, 48)
ENCODER_GROWTH = (10, 16, 18, 24, 32)
ENCODER_DEPTH = (4, 4, 8, 8, 8)
TRANSITION_CHANNELS = (64, 96, 160, 224, 320)
GROWTH_MULTIPLIER = 1.7
OUTPUT_STRIDE = 4


class ConvBnRelu(nn.Sequential):
    """Conv (no bias) + BatchNorm + ReLU, 'same' padding."""

    def __init__(self, in_ch: int, out_ch: int, kernel: int = 3, stride: int = 1) -> None:
        super().__init__(
            nn.Conv2d(in_ch, out_ch, kernel, stride=stride, padding=kernel // 2, bias=False),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
        )


def harmonic_links(layer: int) -> List[int]:
    """Indices of the earlier layers that layer `layer` (1-based; 0 = block input) reads: layer - 2^i
    for every power of two 2^i that divides `layer`."""
    links = []
    step = 1
    while step <= layer:
        if layer % step == 0:
            links.append(layer - step)
        step *= 2
    return links


def harmonic_width(growth: int, n_links: int, multiplier: float = GROWTH_MULTIPLIER) -> int:
    """growth x multiplier^(n_links - 1), rounded to an even count (as HarDNet does: int((x + 1) / 2) * 2)."""
    width = growth * multiplier ** (n_links - 1)
    return int(int(width + 1) / 2) * 2


class HarDBlock(nn.Module):
    """Harmonic dense block. Layer k reads the concatenation of layers k - 2^i; the block output is the
    concatenation of the odd-numbered layers and the last layer (the block input is not passed on)."""

    def __init__(self, in_ch: int, growth: int, depth: int) -> None:
        super().__init__()
        self.links: List[List[int]] = []
        widths = [in_ch]
        layers = []
        for k in range(1, depth + 1):
            links = harmonic_links(k)
            in_width = sum(widths[i] for i in links)
            out_width = harmonic_width(growth, len(links))
            layers.append(ConvBnRelu(in_width, out_width, 3))
            self.links.append(links)
            widths.append(out_width)
        self.layers = nn.ModuleList(layers)
        self.kept = [k for k in range(1, depth + 1) if k % 2 == 1 or k == depth]
        self.out_channels = sum(widths[k] for k in self.kept)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs = [x]
        for links, layer in zip(self.links, self.layers):
            inputs = [outputs[i] for i in links]
            layer_in = inputs[0] if len(inputs) == 1 else torch.cat(inputs, 1)
            outputs.append(layer(layer_in))
        return torch.cat([outputs[k] for k in self.kept], 1)


class UpStage(nn.Module):
    """Decoder stage: bilinear upsample to the skip's size, concatenate, 1x1 to half, HarDBlock."""

    def __init__(self, in_ch: int, skip_ch: int, growth: int, depth: int) -> None:
        super().__init__()
        cat_ch = in_ch + skip_ch
        self.reduce = ConvBnRelu(cat_ch, cat_ch // 2, 1)
        self.block = HarDBlock(cat_ch // 2, growth, depth)
        self.out_channels = self.block.out_channels

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(x, size=skip.shape[2:], mode="bilinear", align_corners=False)
        return self.block(self.reduce(torch.cat([x, skip], 1)))


class FCHarDNet70(nn.Module):
    """FC-HarDNet-70. Input [N, 3, H, W] normalised image (H, W multiples of 32 recommended);
    output [N, num_classes, ceil(H/4), ceil(W/4)] logits."""

    def __init__(self, num_classes: int) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        self.num_classes = num_classes
        s = STEM_CHANNELS
        self.stem = nn.Sequential(
            ConvBnRelu(3, s[0], 3, stride=2),
            ConvBnRelu(s[0], s[1], 3),
            ConvBnRelu(s[1], s[2], 3, stride=2),
            ConvBnRelu(s[2], s[3], 3),
        )
        blocks, transitions, skip_channels = [], [], []
        ch = s[3]
        for growth, depth, trans_ch in zip(ENCODER_GROWTH, ENCODER_DEPTH, TRANSITION_CHANNELS):
            block = HarDBlock(ch, growth, depth)
            blocks.append(block)
            skip_channels.append(block.out_channels)
            transitions.append(ConvBnRelu(block.out_channels, trans_ch, 1))
            ch = trans_ch
        self.encoder_blocks = nn.ModuleList(blocks)
        self.transitions = nn.ModuleList(transitions)
        self.pool = nn.AvgPool2d(2, stride=2)

        ups = []
        for level in reversed(range(len(ENCODER_GROWTH) - 1)):
            stage = UpStage(ch, skip_channels[level], ENCODER_GROWTH[level], ENCODER_DEPTH[level])
            ups.append(stage)
            ch = stage.out_channels
        self.decoder = nn.ModuleList(ups)
        self.head = nn.Conv2d(ch, num_classes, 1, bias=True)
        self._init_weights()

    def _init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        # A small head keeps the initial logits near zero (roughly uniform class scores).
        nn.init.normal_(self.head.weight, std=0.01)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        skips: List[torch.Tensor] = []
        last = len(self.encoder_blocks) - 1
        for i, (block, trans) in enumerate(zip(self.encoder_blocks, self.transitions)):
            x = block(x)
            if i < last:
                skips.append(x)
            x = trans(x)
            if i < last:
                x = self.pool(x)
        for stage in self.decoder:
            x = stage(x, skips.pop())
        return self.head(x)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def output_size(height: int, width: int) -> Tuple[int, int]:
    """Spatial size of the logits for an input of height x width (stride 4, 'same' padded convs)."""
    h = (height + 1) // 2
    w = (width + 1) // 2
    return (h + 1) // 2, (w + 1) // 2


def calibrate_batchnorm(model: nn.Module, seed: int = 0, batches: int = 4, size: Tuple[int, int] = (128, 128)) -> None:
    """Sets BatchNorm running statistics from seeded noise so that an untrained network keeps its
    activations (and logits) near unit scale instead of growing layer after layer. Deterministic."""
    gen = torch.Generator().manual_seed(seed)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    saved = [(m.momentum) for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the calibration batches
    was_training = model.training
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn(2, 3, size[0], size[1], generator=gen))
    for m, momentum in zip(bns, saved):
        m.momentum = momentum
    model.train(was_training)


def initial_model(num_classes: int, seed: int = 0) -> FCHarDNet70:
    """The deterministic, untrained model: seeded initialisation plus calibrated BatchNorm statistics."""
    torch.manual_seed(seed)
    model = FCHarDNet70(num_classes)
    calibrate_batchnorm(model, seed)
    return model.eval()
