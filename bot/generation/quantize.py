"""Int8 weights for the reply model's linear layers on CPUs without native bf16.

Without AVX512-BF16 or AMX the model runs in float32, and writing a reply is bound by memory
traffic: every new token reads every weight (about 2 GB for the 0.5B model in float32). Keeping
each linear layer's weight as int8 with one scale per output row (symmetric, per channel) reads a
quarter of that. Only small batches go through the int8 kernel (one new token, or the few tokens
prompt-lookup decoding checks at once); reading the prompt (many rows at a time) stays on the
float32 weights, where a matrix-matrix product is faster than the int8 kernel.

The kernel is PyTorch's ``_weight_int8pack_mm`` (weight-only int8, bf16 activations), the one
torchao's int8 weight-only mode uses on CPUs.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, cast

log = logging.getLogger(__name__)

# Rows (tokens) up to which a linear layer uses the int8 weights: one decoding step, or a
# prompt-lookup check of up to ~10 proposed tokens.
INT8_MAX_ROWS = 16


def int8_weight_kernel_works() -> bool:
    """True when this PyTorch build has the int8 weight-only kernel for CPU tensors."""
    try:
        import torch

        weight = torch.ones((8, 32), dtype=torch.int8)
        scales = torch.full((8,), 0.5, dtype=torch.bfloat16)
        out = torch._weight_int8pack_mm(torch.ones((1, 32), dtype=torch.bfloat16), weight, scales)
        return bool(torch.allclose(out.float(), torch.full((1, 8), 16.0)))
    except Exception as error:  # noqa: BLE001 - any failure means: not available here
        log.info("int8 weight kernel unavailable: %s", error)
        return False


@lru_cache(maxsize=1)
def _module_class() -> type:
    import torch

    class Int8WeightLinear(torch.nn.Module):
        """A linear layer whose weight is also kept as int8 rows with per-row scales; inputs of
        at most ``max_rows`` rows use those, larger ones the original layer."""

        def __init__(self, linear: torch.nn.Linear, max_rows: int = INT8_MAX_ROWS) -> None:
            super().__init__()
            weight = linear.weight.detach().float()
            scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127.0
            self.register_buffer(
                "qweight",
                torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8).contiguous(),
                persistent=False,
            )
            self.register_buffer("scales", scale.to(torch.bfloat16), persistent=False)
            self.linear = linear
            self.max_rows = max_rows

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            rows = x.numel() // x.shape[-1]
            if rows > self.max_rows:
                dense: torch.Tensor = self.linear(x)
                return dense
            flat = x.reshape(rows, x.shape[-1]).to(torch.bfloat16)
            qweight, scales = cast(torch.Tensor, self.qweight), cast(torch.Tensor, self.scales)
            out = torch._weight_int8pack_mm(flat, qweight, scales).to(x.dtype)
            if self.linear.bias is not None:
                out = out + self.linear.bias
            return out.reshape(*x.shape[:-1], out.shape[-1])

    return Int8WeightLinear


def quantize_linears(model: Any, max_rows: int = INT8_MAX_ROWS) -> int:
    """Gives every linear layer of ``model`` (the output head included) int8 weights for small
    batches, in place; returns how many layers it changed."""
    import torch

    cls = _module_class()
    targets = [
        (parent, name, child)
        for parent in model.modules()
        for name, child in parent.named_children()
        if isinstance(child, torch.nn.Linear) and not isinstance(parent, cls)
    ]
    for parent, name, child in targets:
        setattr(parent, name, cls(child, max_rows))
    return len(targets)


def should_quantize(setting: str, device: str, dtype: Any) -> bool:
    """Whether a ``generator_quantize`` setting asks for int8 weights here: ``int8`` always on a
    CPU, ``auto`` on a CPU that runs the model in float32 (no native bf16), ``none`` never."""
    import torch

    if setting == "none" or device != "cpu":
        return False
    if setting == "auto" and dtype != torch.float32:
        return False
    return int8_weight_kernel_works()
