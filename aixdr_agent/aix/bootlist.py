"""bootlist -m MODE -o: the boot device list, one line per entry (per path)."""

from typing import Dict, List, NamedTuple, Sequence

from ._text import data_lines


class BootEntry(NamedTuple):
    device: str               # hdisk0, ent0, or an Open Firmware path AIX cannot map
    attrs: Dict[str, str]     # {"blv": "hd5", "pathid": "0"}


def parse_bootlist_o(text) -> List[BootEntry]:
    """`hdisk0 blv=hd5 pathid=0` lines; a disk with several paths gives several lines.
    A word without `=` after the device is kept as an attribute with an empty value.
    An empty list prints nothing: []."""
    out = []
    for line in data_lines(text):
        f = line.split()
        attrs: Dict[str, str] = {}
        for word in f[1:]:
            key, _, value = word.partition("=")
            attrs[key] = value
        out.append(BootEntry(f[0], attrs))
    return out


def bootlist_devices(entries: Sequence[BootEntry]) -> List[str]:
    """Unique device names in boot order."""
    seen: List[str] = []
    for entry in entries:
        if entry.device not in seen:
            seen.append(entry.device)
    return seen


def normal_list(runner, check=False):
    """The devices of the normal-mode boot list (`bootlist -m normal -o`), in boot order;
    [] when the command fails and `check` is false."""
    res = runner.query(["bootlist", "-m", "normal", "-o"], check=check)
    return bootlist_devices(parse_bootlist_o(res.stdout)) if res.ok else []


def set_normal_argv(devices):
    """`bootlist -m normal hdiskN...`: the normal-mode boot list, in this order."""
    return ("bootlist", "-m", "normal") + tuple(devices)
