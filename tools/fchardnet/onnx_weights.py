"""Reads the weights of an exported ONNX file back into the PyTorch model, so that training resumes from
the shipped model on any machine (no checkpoint file has to travel between sessions).

Export folds each BatchNorm into its convolution (W' = W * g / s, b' = beta - g * mu / s). Reading back, the
convolution gets W' and its BatchNorm is rebuilt so that it reproduces b' exactly in eval mode *and* keeps
the training-mode behaviour close: running_mean/var are set to the statistics of the folded convolution's
output (y = W' x) measured on calibration images, and gamma = std, beta = mean + b'. In eval mode that is
(y - mean) / std * std + mean + b' = y + b'; in training mode batch statistics are near the measured ones.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn as nn

from .model import FCHarDNet70


def _conv_bn_pairs(model: nn.Module) -> List[tuple]:
    """(conv, bn or None) for every convolution, in the order the forward pass runs them."""
    order: List[nn.Conv2d] = []
    hooks = [m.register_forward_hook(lambda mod, i, o: order.append(mod))
             for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model.eval()(torch.zeros(1, 3, 64, 64))
    for h in hooks:
        h.remove()
    bn_after = {}
    for m in model.modules():
        children = list(m.children())
        for a, b in zip(children, children[1:]):
            if isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d):
                bn_after[a] = b
    return [(c, bn_after.get(c)) for c in order]


def onnx_conv_weights(path: str) -> List[tuple]:
    """(weight, bias) of every Conv node, in graph order (which is the export's execution order)."""
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(path)
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    out = []
    for node in proto.graph.node:
        if node.op_type != "Conv":
            continue
        w = inits.get(node.input[1])
        b = inits.get(node.input[2]) if len(node.input) > 2 else None
        if w is None:
            raise ValueError(f"{path}: Conv {node.name} has a weight that is not an initializer")
        if w.dtype != np.float32:
            raise ValueError(f"{path}: weights are {w.dtype}; read an fp32 export")
        out.append((w, b))
    return out


def class_names_from_onnx(path: str) -> Optional[List[str]]:
    import json

    import onnx

    props = {p.key: p.value for p in onnx.load(path).metadata_props}
    return json.loads(props["class_names"]) if "class_names" in props else None


def load_onnx_weights(model: FCHarDNet70, path: str, calibration: Optional[Sequence[torch.Tensor]] = None) -> None:
    """Sets `model`'s weights from the ONNX file at `path` (same architecture and class count).
    `calibration`: normalised input batches for the BatchNorm statistics (without them, mean 0 / std 1)."""
    pairs = _conv_bn_pairs(model)
    weights = onnx_conv_weights(path)
    if len(pairs) != len(weights):
        raise ValueError(f"{path}: {len(weights)} convolutions, the model has {len(pairs)}")
    for i, ((conv, bn), (w, b)) in enumerate(zip(pairs, weights)):
        if tuple(conv.weight.shape) != w.shape:
            raise ValueError(f"{path}: convolution {i} is {w.shape}, the model's is {tuple(conv.weight.shape)}")
    with torch.no_grad():
        for (conv, bn), (w, b) in zip(pairs, weights):
            conv.weight.copy_(torch.from_numpy(w.copy()))
            bias = torch.zeros(w.shape[0]) if b is None else torch.from_numpy(b.astype(np.float32))
            if bn is None:
                if conv.bias is None:
                    raise ValueError("a convolution without BatchNorm and without bias cannot take a folded bias")
                conv.bias.copy_(bias)
            else:
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
                bn.weight.fill_(1.0)
                bn.bias.copy_(bias)
        if not calibration:
            return
        # The model now computes exactly the ONNX function (eval mode). Measure every folded conv output.
        sums = {conv: [0.0, 0.0, 0] for conv, bn in pairs if bn is not None}

        def hook(mod, inputs, output):
            y = output.double()
            s = sums[mod]
            s[0] = s[0] + y.sum(dim=(0, 2, 3))
            s[1] = s[1] + (y * y).sum(dim=(0, 2, 3))
            s[2] += y.numel() // y.shape[1]

        hooks = [conv.register_forward_hook(hook) for conv in sums]
        model.eval()
        for batch in calibration:
            model(batch)
        for h in hooks:
            h.remove()
        for conv, bn in pairs:
            if bn is None:
                continue
            s1, s2, n = sums[conv]
            mean = (s1 / n).float()
            var = (s2 / n - (s1 / n) ** 2).clamp_min(1e-8).float()
            std = torch.sqrt(var + bn.eps)
            bias = bn.bias.clone()
            bn.running_mean.copy_(mean)
            bn.running_var.copy_(var)
            bn.weight.copy_(std)
            bn.bias.copy_(mean + bias)
