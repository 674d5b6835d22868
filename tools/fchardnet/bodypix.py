"""BodyPix 2.0 (MobileNetV1 0.75, Google, Apache-2.0) rebuilt in PyTorch from its tfjs files, so the teacher can
run inside training on every augmented crop (tools/teacher/lib/bodypix.js runs the same weights in Node).

The tfjs graph is a plain MobileNetV1: a 3x3 convolution with stride 2, then 13 depthwise/pointwise pairs, every
one followed by ReLU6 (BatchNorm already folded into a bias), with TensorFlow's SAME padding and no dilation at
output stride 16; 1x1 heads read the last pointwise layer. The layer list, strides and weight shapes are read from
the model JSON, so the stride-8 file loads the same way. Weights are stored as uint16 (`quant2`) and dequantised
as q * scale + min.

Input: RGB in [0, 255], scaled to [-1, 1]. Sides of (multiple of 16) + 1 put output cell j exactly on input pixel
16 * j, as the Node teacher uses them.
"""

from __future__ import annotations

import json
import math
import os
from typing import Dict, List, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_PARTS = 24
# BodyPix part channel -> default class: faces, arm front/back, hands, torso front/back, legs, feet.
FOLD = [1, 1] + [3] * 4 + [4] * 4 + [5, 5] + [2, 2] + [6] * 4 + [7] * 4 + [8, 8]
FEATURE_CHANNELS = 384  # the last pointwise layer of the 0.75 model
# FOLD as a [9, 24] 0/1 matrix: folded class probabilities = FOLD_MATRIX x part probabilities.
FOLD_MATRIX = torch.zeros(9, NUM_PARTS)
FOLD_MATRIX[torch.tensor(FOLD), torch.arange(NUM_PARTS)] = 1.0


def read_tfjs_weights(model_json: str) -> Tuple[dict, Dict[str, np.ndarray]]:
    """The graph topology and every weight of a tfjs graph model, dequantised to float32, by name."""
    with open(model_json, encoding="utf-8") as f:
        spec = json.load(f)
    folder = os.path.dirname(model_json)
    weights: Dict[str, np.ndarray] = {}
    for group in spec["weightsManifest"]:
        data = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            q = w.get("quantization")
            if q is None:
                values = np.frombuffer(data, dtype="<f4", count=count, offset=offset)
                offset += 4 * count
            else:
                dtype = {"uint8": np.uint8, "uint16": "<u2"}[q["dtype"]]
                raw = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
                offset += raw.itemsize * count
                values = raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
            weights[w["name"]] = values.astype(np.float32).reshape(w["shape"])
        if offset != len(data):
            raise ValueError(f"{model_json}: {len(data) - offset} bytes of weights left over")
    return spec["modelTopology"], weights


def _same_pad(x: torch.Tensor, stride: int, kernel: int = 3) -> torch.Tensor:
    """TensorFlow's SAME padding: the output has ceil(in / stride) cells and any odd pad goes after."""
    h, w = x.shape[-2:]
    ph = max((math.ceil(h / stride) - 1) * stride + kernel - h, 0)
    pw = max((math.ceil(w / stride) - 1) * stride + kernel - w, 0)
    return F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))


class BodyPixMobileNet(nn.Module):
    """Returns (person logit [N,1,h,w], 24 part logits [N,24,h,w], features [N,384,h,w]) for RGB in [0, 255]."""

    def __init__(self, model_json: str) -> None:
        super().__init__()
        topology, weights = read_tfjs_weights(model_json)
        strides = {}
        for node in topology["node"]:
            if node["op"] in ("Conv2D", "DepthwiseConv2dNative") and "strides" in node.get("attr", {}):
                s = [int(v) for v in node["attr"]["strides"]["list"]["i"]]
                d = [int(v) for v in node["attr"].get("dilations", {}).get("list", {}).get("i", ["1"] * 4)]
                if d != [1, 1, 1, 1]:
                    raise ValueError(f"{node['name']}: dilated convolutions are not supported")
                strides[node["input"][1]] = s[1]
        self.layers = nn.ModuleList()
        self.strides: List[int] = []
        self.depthwise: List[bool] = []
        names = ["MobilenetV1/Conv2d_0/weights"]
        for i in range(1, 14):
            names += [f"MobilenetV1/Conv2d_{i}_depthwise/depthwise_weights", f"MobilenetV1/Conv2d_{i}_pointwise/weights"]
        for name in names:
            w = weights[name]
            bias_name = name.replace("depthwise_weights", "depthwise_bias").replace("/weights", "/Conv2D_bias")
            dw = "depthwise" in name
            if dw:  # [kh, kw, in, 1] -> [in, 1, kh, kw]
                t = torch.from_numpy(np.ascontiguousarray(w.transpose(2, 3, 0, 1)))
                conv = nn.Conv2d(t.shape[0], t.shape[0], w.shape[0], groups=t.shape[0], bias=True)
            else:  # [kh, kw, in, out] -> [out, in, kh, kw]
                t = torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))
                conv = nn.Conv2d(t.shape[1], t.shape[0], w.shape[0], bias=True)
            conv.weight.data.copy_(t)
            conv.bias.data.copy_(torch.from_numpy(weights[bias_name]))
            self.layers.append(conv)
            self.strides.append(strides.get(name, 1))
            self.depthwise.append(dw)
        self.segment = self._head(weights, "segment_2")
        self.parts = self._head(weights, "part_heatmap_2")
        self.output_stride = int(np.prod(self.strides))
        for p in self.parameters():
            p.requires_grad_(False)
        self.eval()

    @staticmethod
    def _head(weights: Dict[str, np.ndarray], name: str) -> nn.Conv2d:
        w = weights[f"MobilenetV1/{name}/weights"]
        conv = nn.Conv2d(w.shape[2], w.shape[3], 1, bias=True)
        conv.weight.data.copy_(torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1))))
        conv.bias.data.copy_(torch.from_numpy(weights[f"MobilenetV1/{name}/Conv2D_bias"]))
        return conv

    def forward(self, rgb: torch.Tensor):
        x = rgb / 127.5 - 1.0
        for conv, stride in zip(self.layers, self.strides):
            k = conv.kernel_size[0]
            x = F.conv2d(_same_pad(x, stride, k) if k > 1 else x, conv.weight, conv.bias, stride=stride,
                         groups=conv.groups)
            x = torch.clamp(x, 0.0, 6.0)
        return self.segment(x), self.parts(x), x


def valid_side(size: float, stride: int = 16) -> int:
    """The input side nearest `size` that is (multiple of stride) + 1 (same rule as lib/bodypix.js)."""
    return max(1, round((size - 1) / stride)) * stride + 1


def fold_probabilities(segment: torch.Tensor, parts: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Nine-class probabilities [N,9,h,w] from the person logit and the 24 part logits: background is
    1 - p(person), class c is p(person) x the summed softmax of the parts that fold onto c. A temperature above 1
    softens both (the person logit and the part logits are divided by it)."""
    person = torch.sigmoid(segment / temperature)
    part = torch.softmax(parts / temperature, dim=1)
    folded = torch.einsum("ck,nkhw->nchw", FOLD_MATRIX.to(part.device, part.dtype), part)
    return torch.cat([1.0 - person, person * folded[:, 1:]], dim=1)


class Teacher:
    """BodyPix on a batch of training crops, its outputs brought to the crop's size.

    The crop (N, 3, H, W, RGB 0-255) is resized with corner-aligned sampling to sides of (multiple of 16) + 1, so
    the stride-16 grid's corners sit on the crop's corners; the logits are upsampled back the same way (as
    fusion.py does with the Node teacher's grids)."""

    def __init__(self, model_json: str, device: torch.device = torch.device("cpu")) -> None:
        self.net = BodyPixMobileNet(model_json).to(device)
        self.device = device

    @torch.no_grad()
    def __call__(self, rgb: torch.Tensor, temperature: float = 1.0):
        """(nine-class probabilities at the crop's size [N,9,H,W], features [N,384,h,w])."""
        h, w = rgb.shape[-2:]
        stride = self.net.output_stride
        ih, iw = valid_side(h, stride), valid_side(w, stride)
        x = F.interpolate(rgb.float(), size=(ih, iw), mode="bilinear", align_corners=True)
        seg, parts, feats = self.net(x)
        probs = fold_probabilities(seg, parts, temperature)
        probs = F.interpolate(probs, size=(h, w), mode="bilinear", align_corners=True)
        return probs, feats


def default_model_json(shared: str) -> str:
    return os.path.join(shared, "models", "bodypix-mobilenet-v1-075", "tfjs", "model-stride16.json")
