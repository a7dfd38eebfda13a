"""The glibc tuning is opt-in: one configuration key, on by default in production only."""

from __future__ import annotations

import pytest

from congress.config import load_config

pytestmark = pytest.mark.unit


def _settings(tmp_path, **environ: str) -> dict:
    files_key = {"CONGRESS_CFP_FILES_KEY": "a" * 43 + "="}
    return load_config({"CONGRESS_INSTANCE_PATH": str(tmp_path), **files_key, **environ})


def test_memory_tuning_is_on_by_default_in_production(tmp_path):
    settings = _settings(tmp_path, CONGRESS_ENV="production", CONGRESS_SECRET_KEY="k" * 48)

    assert settings["CACHE_MEMORY_TUNING"] is True


def test_memory_tuning_is_off_by_default_in_development(tmp_path):
    assert _settings(tmp_path, CONGRESS_ENV="development")["CACHE_MEMORY_TUNING"] is False


def test_memory_tuning_follows_the_environment_when_set(tmp_path):
    production = _settings(
        tmp_path,
        CONGRESS_ENV="production",
        CONGRESS_SECRET_KEY="k" * 48,
        CONGRESS_CACHE_MEMORY_TUNING="0",
    )
    development = _settings(tmp_path, CONGRESS_ENV="development", CONGRESS_CACHE_MEMORY_TUNING="1")

    assert production["CACHE_MEMORY_TUNING"] is False
    assert development["CACHE_MEMORY_TUNING"] is True
