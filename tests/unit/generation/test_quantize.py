"""Int8 weights for small batches on CPUs without native bf16 (bot/generation/quantize.py)."""

from __future__ import annotations

import pytest
import torch

from bot.generation.quantize import (
    INT8_MAX_ROWS,
    int8_weight_kernel_works,
    quantize_linears,
    should_quantize,
)

pytestmark = pytest.mark.unit

needs_kernel = pytest.mark.skipif(
    not int8_weight_kernel_works(), reason="no int8 weight kernel in this torch"
)


def small_model() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(64, 128), torch.nn.SiLU(), torch.nn.Linear(128, 32, bias=False)
    )


@needs_kernel
def test_small_batches_use_int8_weights_and_stay_close_to_float32():
    model = small_model().eval()
    x = torch.randn(3, 64)
    expected = model(x)
    assert quantize_linears(model) == 2
    assert quantize_linears(model) == 0  # a second call changes nothing
    with torch.inference_mode():
        got = model(x)
    assert got.dtype == torch.float32 and got.shape == expected.shape
    assert not torch.equal(got, expected)  # the int8 path ran
    relative = (got - expected).norm() / expected.norm()
    assert relative < 0.02
    qweight = model[0].qweight
    assert qweight.dtype == torch.int8 and qweight.shape == (128, 64)


@needs_kernel
def test_large_batches_keep_the_float32_weights():
    model = small_model().eval()
    x = torch.randn(2, INT8_MAX_ROWS, 64)  # 32 rows: reading a prompt
    expected = model(x)
    quantize_linears(model)
    with torch.inference_mode():
        assert torch.equal(model(x), expected)


def test_the_setting_decides_where_int8_is_used():
    assert not should_quantize("none", "cpu", torch.float32)
    assert not should_quantize("auto", "cpu", torch.bfloat16)  # native bf16: no need
    assert not should_quantize("int8", "cuda", torch.float32)
    assert should_quantize("auto", "cpu", torch.float32) == int8_weight_kernel_works()
    assert should_quantize("int8", "cpu", torch.bfloat16) == int8_weight_kernel_works()
