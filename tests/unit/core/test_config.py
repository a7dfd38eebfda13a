import pytest

from congress.config import ConfigError, load_config

pytestmark = pytest.mark.unit

LONG_KEY = "k" * 48
FILES_KEY = "a" * 43 + "="  # 32 bytes in URL-safe base64: a well-formed Fernet key


def test_production_refuses_missing_secret(tmp_path):
    env = {"CONGRESS_ENV": "production", "CONGRESS_INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ConfigError, match="CONGRESS_SECRET_KEY"):
        load_config(env)


@pytest.mark.parametrize("key", ["change-me", "dev", "short-but-not-default"])
def test_production_refuses_default_or_short_secret(tmp_path, key):
    env = {
        "CONGRESS_ENV": "production",
        "CONGRESS_SECRET_KEY": key,
        "CONGRESS_INSTANCE_PATH": str(tmp_path),
    }
    with pytest.raises(ConfigError):
        load_config(env)


def test_production_accepts_long_secret_and_hardens_cookie(tmp_path):
    env = {
        "CONGRESS_ENV": "production",
        "CONGRESS_SECRET_KEY": LONG_KEY,
        "CONGRESS_CFP_FILES_KEY": FILES_KEY,
        "CONGRESS_INSTANCE_PATH": str(tmp_path),
        "CONGRESS_DATABASE_URL": "postgresql+psycopg://u@db/congress",
    }
    config = load_config(env)
    assert config["SECRET_KEY"] == LONG_KEY
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/congress"


def test_development_generates_and_keeps_a_private_secret(tmp_path):
    env = {"CONGRESS_INSTANCE_PATH": str(tmp_path)}
    first = load_config(env)["SECRET_KEY"]
    second = load_config(env)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_default_database_is_sqlite_under_instance(tmp_path):
    config = load_config({"CONGRESS_INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'congress.sqlite'}"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_environment_overrides_mail_and_urls(tmp_path):
    config = load_config(
        {
            "CONGRESS_INSTANCE_PATH": str(tmp_path),
            "CONGRESS_MAIL_SERVER": "smtp.example",
            "CONGRESS_MAIL_PORT": "2525",
            "CONGRESS_MAIL_USE_TLS": "true",
            "CONGRESS_BASE_URL": "https://congres.example/",
            "CONGRESS_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/1",
        }
    )
    assert config["MAIL_SERVER"] == "smtp.example"
    assert config["MAIL_PORT"] == 2525
    assert config["MAIL_USE_TLS"] is True
    assert config["BASE_URL"] == "https://congres.example"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/1"


def test_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="CONGRESS_ENV"):
        load_config({"CONGRESS_ENV": "prod", "CONGRESS_INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_to_start_without_the_files_key(tmp_path):
    """Attachments are encrypted at rest: production never falls back to a key on disk."""
    env = {
        "CONGRESS_ENV": "production",
        "CONGRESS_SECRET_KEY": LONG_KEY,
        "CONGRESS_INSTANCE_PATH": str(tmp_path),
    }
    with pytest.raises(ConfigError, match="CONGRESS_CFP_FILES_KEY"):
        load_config(env)
    with pytest.raises(ConfigError, match="Fernet"):
        load_config({**env, "CONGRESS_CFP_FILES_KEY": "not-a-key"})
    assert not (tmp_path / "cfp_files_key").exists()


def test_development_keeps_a_private_files_key(tmp_path):
    env = {"CONGRESS_INSTANCE_PATH": str(tmp_path)}
    assert load_config(env)["CFP_FILES_KEY"] == load_config(env)["CFP_FILES_KEY"]
    assert (tmp_path / "cfp_files_key").stat().st_mode & 0o777 == 0o600
