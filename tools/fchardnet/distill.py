"""Distillation from BodyPix on every training crop: its softened nine-class probabilities and its stride-16
features, beside the hard labels (train.py --teacher).

The student's stride-16 features are read from the encoder's third transition (160 channels, before its pooling)
and mapped by a 1x1 adapter onto the teacher's 384 feature channels; the adapter only serves training and is not
part of the exported graph. The hard labels (COCO's drawn masks and keypoints fused with the teacher) keep their
cross-entropy where they are known; the soft term reaches every pixel, including frames that have no labels.
"""

from __future__ import annotations

from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .bodypix import FEATURE_CHANNELS, Teacher
from .infer import MEAN_BGR, STD_BGR
from .model import TRANSITION_CHANNELS, FCHarDNet70

STUDENT_FEATURE_LEVEL = 2  # transitions[2]: stride 16, like the teacher's last layer
FEATURE_SCALE = 6.0  # the teacher's features are ReLU6 outputs: scaled to [0, 1]


def denormalise(x: torch.Tensor) -> torch.Tensor:
    """The student's input (BGR, mean/std normalised) back to RGB in [0, 255], the teacher's input."""
    mean = torch.as_tensor(MEAN_BGR, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    std = torch.as_tensor(STD_BGR, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    return (x * std + mean).flip(1)


def soft_cross_entropy(student_logits: torch.Tensor, teacher_probs: torch.Tensor, temperature: float) -> torch.Tensor:
    """KL(teacher || student) per pixel at the temperature, times T^2 (so its gradients keep their scale as T
    changes), averaged over pixels."""
    log_p = F.log_softmax(student_logits.float() / temperature, dim=1)
    t = teacher_probs.float().clamp_min(1e-6)
    kl = (t * (t.log() - log_p)).sum(dim=1)
    return kl.mean() * temperature * temperature


class Distiller(nn.Module):
    """The teacher, the feature adapter and the two distillation losses for one student."""

    def __init__(self, teacher: Teacher, temperature: float = 2.0, kd_weight: float = 1.0,
                 feature_weight: float = 1.0) -> None:
        super().__init__()
        self.teacher = teacher
        self.temperature = temperature
        self.kd_weight = kd_weight
        self.feature_weight = feature_weight
        self.adapter = nn.Conv2d(TRANSITION_CHANNELS[STUDENT_FEATURE_LEVEL], FEATURE_CHANNELS, 1, bias=True)
        self._features: Optional[torch.Tensor] = None

    def attach(self, student: FCHarDNet70) -> None:
        """Keeps the student's stride-16 features of each forward pass for the feature loss."""
        student.transitions[STUDENT_FEATURE_LEVEL].register_forward_hook(self._keep)

    def _keep(self, module, inputs, output) -> None:
        self._features = output

    def losses(self, x: torch.Tensor, student_logits: torch.Tensor):
        """(soft-target loss, feature loss) for the batch the student has just run on; student_logits at the
        crop's size."""
        probs, feats = self.teacher(denormalise(x.float()), self.temperature)
        kd = soft_cross_entropy(student_logits, probs, self.temperature)
        if self.feature_weight <= 0 or self._features is None:
            return kd, torch.zeros((), device=x.device)
        mapped = self.adapter(self._features)
        mapped = F.interpolate(mapped.float(), size=feats.shape[-2:], mode="bilinear", align_corners=True)
        feature = F.mse_loss(mapped, feats / FEATURE_SCALE)
        self._features = None
        return kd, feature
