"""The privacy notice's settings: demo defaults; bad values refused at start-up, not shown."""

import pytest

from congress.config import ConfigError, load_config

pytestmark = pytest.mark.unit


def test_privacy_settings_default_to_the_apssis_demo_values(tmp_path):
    config = load_config({"CONGRESS_INSTANCE_PATH": str(tmp_path)})
    assert config["CONTROLLER_NAME"] == (
        "APSSIS (Association pour la sécurité des systèmes d'information de santé)"
    )
    assert config["CONTROLLER_ADDRESS"] == "1 rue de l'Exemple, 00000 Exempleville, France"
    assert config["PRIVACY_CONTACT"] == "donnees-personnelles@apssis.example"
    assert config["DPO_CONTACT"] == "dpo@apssis.example"
    assert (
        config["RETENTION_DAYS"],
        config["AUDIT_RETENTION_DAYS"],
        config["LOG_RETENTION_DAYS"],
    ) == (365, 365, 180)


def test_privacy_settings_come_from_the_environment(tmp_path):
    config = load_config(
        {
            "CONGRESS_INSTANCE_PATH": str(tmp_path),
            "CONGRESS_CONTROLLER_NAME": "APSSIS",
            "CONGRESS_PRIVACY_CONTACT": " rgpd@apssis.test ",
            "CONGRESS_RETENTION_DAYS": "200",
            "CONGRESS_LOG_RETENTION_DAYS": "",
        }
    )
    assert (config["CONTROLLER_NAME"], config["PRIVACY_CONTACT"]) == ("APSSIS", "rgpd@apssis.test")
    assert (config["RETENTION_DAYS"], config["LOG_RETENTION_DAYS"]) == (200, 180)


@pytest.mark.parametrize("value", ["0", "-5", "un an", "36.5"])
def test_retention_days_refuse_anything_but_a_positive_whole_number(tmp_path, value):
    env = {"CONGRESS_INSTANCE_PATH": str(tmp_path), "CONGRESS_AUDIT_RETENTION_DAYS": value}
    with pytest.raises(ConfigError, match="CONGRESS_AUDIT_RETENTION_DAYS must be a whole number"):
        load_config(env)


@pytest.mark.parametrize("value", ["https://apssis.test/rgpd", "dpo", "a b@apssis.test"])
def test_privacy_contacts_refuse_anything_but_an_address(tmp_path, value):
    env = {"CONGRESS_INSTANCE_PATH": str(tmp_path), "CONGRESS_DPO_CONTACT": value}
    with pytest.raises(ConfigError, match="CONGRESS_DPO_CONTACT must be one e-mail address"):
        load_config(env)
