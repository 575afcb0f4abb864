"""Reading the configuration file: its safety first (trust.py), then its text, then the
schema (schema.py, which imports yaml: loaded only here, so `status` never pays for it)."""

import os

from ..trust import UnsafeFileError, _file_reasons, _refusals, check_file_safe
from .model import MAX_CONFIG_BYTES, ConfigError, Problem


def parse_config_text(text, path="agent.yaml"):
    """Validate configuration text; no filesystem checks (scripts need not exist)."""
    return _parse(text, path, check_files=False)


def load_config(path, *, check_files=True, trusted_uids=(0,)):
    """Read and validate the configuration file.

    Raises UnsafeFileError when the file (or, with check_files, a script or the notify
    command) is not safe to trust, ConfigError for everything else, including a file
    that cannot be read. With check_files the scripts must exist as executable files."""
    try:
        check_file_safe(path, trusted_uids)
    except OSError as exc:
        raise ConfigError([Problem(path, None, "(file)", "cannot read: %s"
                                   % (exc.strerror or exc))]) from None
    text = _read(path, trusted_uids)
    config = _parse(text, path, check_files)
    if check_files:
        refusals = []
        checks = [(s.path, True) for s in config.scripts]
        if config.notify:
            checks.append((config.notify[0], False))  # its owner: see the docstring
        for file_path, check_owner in checks:
            try:
                refusals += _refusals(file_path, trusted_uids, check_owner)
            except OSError as exc:  # gone since it was validated
                refusals.append("%s: refused: cannot check: %s" % (file_path, exc.strerror))
        if refusals:
            raise UnsafeFileError("\n".join(refusals), path=path)
    return config


def _parse(text, path, check_files):
    from . import schema  # lazy: imports yaml, only when a file is read (status reads none)

    return schema.build(text, path, check_files)


def _read(path, trusted_uids):
    """The text of the (already checked) file, read from one descriptor that is checked
    again, so a swap between the check and the read is caught; size-capped."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        reasons = _file_reasons(os.fstat(fd), path, trusted_uids, True)
        if reasons:
            raise UnsafeFileError("\n".join("%s: refused: %s" % (path, r) for r in reasons),
                                  path=path)
        data = b""
        while len(data) <= MAX_CONFIG_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError([Problem(path, None, "(file)", "larger than %d bytes; refused "
                                   "unread" % MAX_CONFIG_BYTES)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError([Problem(path, line, "(file)", "not UTF-8 text (byte 0x%02x)"
                                   % data[exc.start])]) from None
