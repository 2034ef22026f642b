"""Test configuration: hypothesis profiles chosen by HYPOTHESIS_PROFILE (dev by default, ci in .ci/run)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
# CI draws the same examples on every run (derandomize): a rare case found by chance would otherwise refuse a
# landing that the same tests passed locally. Finding new cases is the job of the randomized profiles: "dev"
# (the default) and "thorough" (HYPOTHESIS_PROFILE=thorough, ten times the examples), run before landing.
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The test modules share helpers (tests/cli_helpers.py); with --import-mode=importlib this folder is not on the
# import path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parent))
