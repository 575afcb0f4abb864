"""Where the agent's files are: the configuration, the state folder, the disabled marker.

The defaults are AIX's (/etc for configuration, /var/adm for the agent's records); --config
and --state-dir, or AIXDR_CONFIG and AIXDR_STATE_DIR, move them (tests, a second agent).
"""

import os

DEFAULT_CONFIG = "/etc/aixdr/agent.yaml"
DEFAULT_STATE_DIR = "/var/adm/aixdr"


def config_path(args):
    return args.config or os.environ.get("AIXDR_CONFIG") or DEFAULT_CONFIG


def state_root(args):
    return args.state_dir or os.environ.get("AIXDR_STATE_DIR") or DEFAULT_STATE_DIR


def disabled_reason(config, path):
    """Why boot does nothing on purpose (`enabled: false`, or a file named `disabled`
    beside the configuration), or None."""
    if not config.enabled:
        return "%s says enabled: false" % path
    marker = os.path.join(os.path.dirname(os.path.abspath(path)), "disabled")
    if os.path.exists(marker):
        return "%s exists" % marker
    return None
