"""RSCT: peer domains (lsrpdomain), the node id (/etc/ct_node_id), and the reset of the node
id (rmcctrl -z, recfgct), the sequence of IBM's own cloud-init module cc_reset_rmc.

lsrpdomain, rmcctrl: /usr/sbin/rsct/bin (-> /opt/rsct/bin); recfgct:
/usr/sbin/rsct/install/bin. The runner searches both after the default path.
"""

from typing import List, Optional

from . import AixParseError
from ._text import data_lines, is_message

NODE_ID_FILE = "/etc/ct_node_id"
POWERHA_FILESET = "cluster.es.server.rte"   # the PowerHA SystemMirror server runtime


def lsrpdomain():
    return ("lsrpdomain",)


def parse_lsrpdomain(text) -> List[str]:
    """The peer domain names in `lsrpdomain` output. No domain: no output at all (some
    levels may print the header line alone)."""
    names = []
    for line in data_lines(text):
        fields = line.split()
        if not fields or fields[0] == "Name" or is_message(line):
            continue
        names.append(fields[0])
    return names


def read_node_id():
    """The node id file is read through `cat` like every other system fact."""
    return ("cat", NODE_ID_FILE)


def parse_node_id(text) -> Optional[str]:
    """The first line of /etc/ct_node_id, or None when it is empty."""
    if text is not None and not isinstance(text, str):
        raise AixParseError("ct_node_id: expected text")
    first = (text or "").split("\n", 1)[0].strip()
    return first or None


def powerha_query():
    """lslpp -Lcq cluster.es.server.rte: one colon record when installed; 0504-132 on
    stderr (exit 1) when not."""
    return ("lslpp", "-Lcq", POWERHA_FILESET)


def stop_rmc():
    """rmcctrl -z: stop RMC and the resource managers before recfgct."""
    return ("rmcctrl", "-z")


def recfgct():
    """A new node id; every RSCT configuration under /var/ct removed; subsystems restarted."""
    return ("recfgct",)
