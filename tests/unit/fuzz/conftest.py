"""Hypothesis settings for the property-based tests: no per-example deadline (the machine is
shared, timings vary), a fixed number of examples, and derandomised runs so a failure repeats."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fernhill",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("fernhill")
