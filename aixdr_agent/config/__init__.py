"""The configuration: /etc/aixdr/agent.yaml read strictly into frozen values.

model.py holds the values, load.py reads a file (safety, size, text), schema.py checks it
key by key (on reader.py's typed reads of yamllines.py's line-marked YAML), rules.py checks
across sites, values.py checks single values (addresses, names, patterns). Callers import
what they need from here.
"""

from .load import load_config, parse_config_text
from .model import (
    MAX_CONFIG_BYTES,
    STEP_NAMES,
    Alias,
    Config,
    ConfigError,
    Dns,
    Interface,
    Problem,
    Route,
    Script,
    Site,
    SubnetRule,
    Timeouts,
    VolumeGroups,
)

__all__ = ["MAX_CONFIG_BYTES", "STEP_NAMES", "Alias", "Config", "ConfigError", "Dns",
           "Interface", "Problem", "Route", "Script", "Site", "SubnetRule", "Timeouts",
           "VolumeGroups", "load_config", "parse_config_text"]
