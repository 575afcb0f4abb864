"""lsfs: file system definitions (/etc/filesystems) in colon (-c, -cq) and default form."""

from typing import List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines, opt_int


class FsEntry(NamedTuple):
    mount_point: str
    device: str               # /dev/lv, or the remote path of an NFS entry
    vfs: str                  # jfs2, jfs, nfs, procfs, ...
    nodename: Optional[str]   # NFS server; None when empty / "--"
    type: Optional[str]       # mount group (`type = name`); None when empty / "--"
    size: Optional[int]       # 512-byte blocks; None when empty / "--"
    options: Optional[str]    # None when empty / "--"
    automount: str            # "yes" / "no"
    acct: str                 # "yes" / "no"


def _opt(value):
    value = value.strip()
    return None if value in ("", "--") else value


def parse_lsfs_c(text) -> List[FsEntry]:
    """`lsfs -c` / `lsfs -cq`: `#MountPoint:Device:Vfs:Nodename:Type:Size:Options:
    AutoMount:Acct` then one colon record per file system. The parenthesised detail line
    that `-q` adds after each record is ignored. Options may contain colons (NFS
    `sec=krb5:krb5i`): the first six and the last two fields are positional."""
    out = []
    body = data_lines(text)
    for line in body:
        if line.startswith("#") or line.startswith("("):
            continue
        parts = line.split(":")
        if len(parts) < 9:
            continue
        options = ":".join(parts[6:-2])
        out.append(FsEntry(parts[0], parts[1], parts[2], _opt(parts[3]), _opt(parts[4]),
                           opt_int(parts[5].strip()), _opt(options), parts[-2].strip(),
                           parts[-1].strip()))
    if body and not out and not any(line.startswith("#MountPoint") for line in body):
        raise AixParseError("lsfs -c: no file system records in output")
    return out
