"""deploy/z2jh/config.yaml (Zero to JupyterHub) is valid for the chart it names, and says what the course needs.

Validation as Helm does it: the user's values merged over the chart's defaults, then checked against the
chart's values.schema.json (both vendored from chart 4.4.0, deploy/z2jh/SCHEMA_SOURCE.md)."""
import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
Z2JH = ROOT / "deploy" / "z2jh"


def merged(defaults, override):
    """Helm's merge of values: maps merge key by key, anything else replaces."""
    out = copy.deepcopy(defaults)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture(scope="module")
def schema():
    return json.loads((Z2JH / "values.schema.json").read_text())


@pytest.fixture(scope="module")
def config():
    return yaml.safe_load((Z2JH / "config.yaml").read_text())


def validate(values, schema):
    defaults = yaml.safe_load((Z2JH / "chart-values.yaml").read_text())
    jsonschema.validate(merged(defaults, values), schema, cls=jsonschema.Draft7Validator)


def test_config_is_valid_for_the_chart(config, schema):
    validate(config, schema)


def test_schema_rejects_a_misspelt_key(config, schema):
    # the check has teeth: the chart's schema forbids unknown keys, so a typo in config.yaml fails
    bad = copy.deepcopy(config)
    bad["singleuser"]["memmory"] = bad["singleuser"].pop("memory")
    with pytest.raises(jsonschema.ValidationError, match="memmory"):
        validate(bad, schema)


def bytes_of(quantity: str) -> float:
    m = re.fullmatch(r"([0-9.]+)([KMGT]i?)?", str(quantity))
    assert m, quantity
    unit = m.group(2) or ""
    base = 1024 if unit.endswith("i") else 1000
    return float(m.group(1)) * base ** " KMGT".index((unit or " ")[0])


def test_config_has_what_a_class_needs(config):
    su = config["singleuser"]
    assert bytes_of(su["memory"]["guarantee"]) <= bytes_of(su["memory"]["limit"])
    assert 0 < su["cpu"]["guarantee"] <= su["cpu"]["limit"]
    assert su["storage"]["type"] == "dynamic"                     # a persistent home for ~/.course
    assert su["extraEnv"]["COURSE_ROOT"].startswith(su["storage"]["homeMountPath"] + "/")
    assert config["cull"]["enabled"] and config["cull"]["timeout"] > 0
    assert su["image"]["name"] and su["image"]["tag"]


def test_single_user_jupyterhub_matches_the_chart_hub():
    app_version = re.search(r"`appVersion` ([0-9.]+)", (Z2JH / "SCHEMA_SOURCE.md").read_text()).group(1)
    pins = [Requirement(ln) for ln in (ROOT / "requirements.txt").read_text().splitlines()
            if ln.strip() and not ln.startswith("#")]
    hub = next(r for r in pins if r.name == "jupyterhub")
    assert str(hub.specifier) == f"=={app_version}"
    assert f"chart {re.search(r'chart version ([0-9.]+)', (Z2JH / 'SCHEMA_SOURCE.md').read_text()).group(1)}" \
        in (Z2JH / "config.yaml").read_text().splitlines()[0]
