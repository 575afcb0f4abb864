"""What the agent trusts as root: the configuration, its hooks and notify command, and the
state folder. A file or folder is trusted when it, and every directory on the way to it
(symbolic links resolved one at a time, the folders they pass through checked too), is owned
by root (or a system account for system directories) and not writable by group or others
(a sticky shared folder like /tmp: only when the entry passed belongs to root). Each
refusal says what is wrong and the command that fixes it.

Also the ways the agent opens what it keeps in the state folder: never through a symbolic
link (O_NOFOLLOW), never blocking on a FIFO (O_NONBLOCK), a regular file checked on the
descriptor it reads or writes, with fixed modes whatever the umask.
"""

import errno
import os
import pwd
import stat

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class UnsafeFileError(Exception):
    """A file the agent would trust as root is not safe; the message says how to fix it."""

    def __init__(self, message, path=None):
        super().__init__(message)
        self.path = path


# --- files ----------------------------------------------------------------------


def check_file_safe(path, trusted_uids=(0,)):
    """Raise UnsafeFileError unless path (or the file a symlink there points to) is a
    regular file owned by a uid in trusted_uids, not writable by group or others, reached
    through directories (every one on the way, the symlinks' too) owned by a trusted or
    system user and not writable by group or others (unless sticky, like /tmp, where the
    entry passed must belong to a trusted user).
    OSError (FileNotFoundError...) when there is no such file."""
    refusals = _refusals(path, trusted_uids, check_owner=True)
    if refusals:
        raise UnsafeFileError("\n".join(refusals), path=path)


def _refusals(path, trusted_uids, check_owner):
    """'PATH: refused: why; fix with: what' lines; empty when the file is safe."""
    if not os.path.isabs(path):
        path = os.path.abspath(path)
    reasons = []
    target = _resolve(path, trusted_uids, check_owner, reasons)
    file_reasons = _file_reasons(os.stat(target), target, trusted_uids, check_owner)
    if target != path:
        file_reasons = ["symlink target %s is %s" % (target, r) for r in file_reasons]
    reasons += file_reasons
    reasons = list(dict.fromkeys(reasons))  # the link and its target may share a directory
    return ["%s: refused: %s" % (path, r) for r in reasons]


MAX_SYMLINKS = 40


def _resolve(path, trusted_uids, check_owner, reasons):
    """The real path of path, resolved one component at a time as the kernel does, so that
    every directory passed through (ancestors, those of each symlink on the way, those
    symlinked directories lead to) is checked: whoever can write one of them can swap
    what comes after it. In a sticky writable directory (/tmp) the entry passed must
    belong to a trusted user, or its owner can replace it (a symlink there too; the file
    itself gets the owner check of _file_reasons when check_owner)."""
    todo = list(reversed(path.split("/")))
    current, hops = "/", 0
    while todo:
        name = todo.pop()
        if name in ("", "."):
            continue
        if name == "..":
            current = os.path.dirname(current)
            continue
        entry = os.path.join(current, name)
        st = os.lstat(entry)
        owner_checked = check_owner and stat.S_ISREG(st.st_mode)
        reasons += _dir_reasons(current, entry, None if owner_checked else st, trusted_uids)
        if check_owner and stat.S_ISDIR(st.st_mode) and st.st_uid not in trusted_uids \
                and st.st_uid not in _system_uids():
            reasons.append("directory %s is owned by uid %d, who can replace what is in it; "
                           "fix with: chown root:system %s" % (entry, st.st_uid, entry))
        if stat.S_ISLNK(st.st_mode):
            hops += 1
            if hops > MAX_SYMLINKS:
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)
            link = os.readlink(entry)
            if link.startswith("/"):
                current = "/"
            todo.extend(reversed(link.split("/")))
        else:
            current = entry
    return current


def _system_uids():
    """The AIX system accounts that own system directories (/usr/bin is bin's)."""
    uids = set()
    for name in ("bin", "sys"):
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    return uids


def _file_reasons(st, path, trusted_uids, check_owner):
    if not stat.S_ISREG(st.st_mode):
        return ["not a regular file"]
    reasons = []
    if check_owner and st.st_uid not in trusted_uids:
        try:
            owner = "%d (%s)" % (st.st_uid, pwd.getpwuid(st.st_uid).pw_name)
        except KeyError:
            owner = "%d" % st.st_uid
        reasons.append("owned by uid %s, not root; fix with: chown root:system %s"
                       % (owner, path))
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        reasons.append("writable by group or others (mode %04o); fix with: chmod go-w %s"
                       % (stat.S_IMODE(st.st_mode), path))
    return reasons


def _dir_reasons(directory, entry, entry_stat, trusted_uids):
    mode = os.stat(directory).st_mode
    if not mode & (stat.S_IWGRP | stat.S_IWOTH):
        return []
    if not mode & stat.S_ISVTX:
        return ["directory %s is writable by group or others without the sticky bit "
                "(mode %04o); fix with: chmod go-w %s"
                % (directory, stat.S_IMODE(mode), directory)]
    if entry_stat is not None and entry_stat.st_uid not in trusted_uids:
        return ["%s in the shared directory %s (mode %04o) is owned by uid %d, who can "
                "replace it; fix with: chown -h root:system %s, or move it elsewhere"
                % (entry, directory, stat.S_IMODE(mode), entry_stat.st_uid, entry)]
    return []


# --- the state folder -----------------------------------------------------------------

DIR_MODE = 0o755    # the state folder and runs/: status and history are for any user
FILE_MODE = 0o644   # state.json, inventory.json, runs/*.json, agent.log, the lock


def check_dir_safe(path, trusted_uids=(0,)):
    """Raise UnsafeFileError unless path (or the folder a symlink there leads to) is a
    directory owned by a trusted uid, not writable by group or others, reached through
    directories trusted as check_file_safe wants them. OSError when it does not exist."""
    if not os.path.isabs(path):
        path = os.path.abspath(path)
    reasons = []
    target = _resolve(path, trusted_uids, True, reasons)
    st = os.stat(target)
    own = []
    if not stat.S_ISDIR(st.st_mode):
        own.append("not a directory")
    else:
        if st.st_uid not in trusted_uids:
            own.append("owned by uid %d, not root; fix with: chown root:system %s"
                       % (st.st_uid, target))
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            own.append("writable by group or others (mode %04o); fix with: chmod go-w %s"
                       % (stat.S_IMODE(st.st_mode), target))
    if target != path:
        own = ["symlink target %s is %s" % (target, r) for r in own]
    reasons = list(dict.fromkeys(reasons + own))
    if reasons:
        raise UnsafeFileError("\n".join("%s: refused: %s" % (path, r) for r in reasons),
                              path=path)
    return target


def make_dirs(path, mode=DIR_MODE):
    """Create path and its missing parents with `mode` whatever the umask."""
    path = os.path.abspath(path)
    missing = []
    while not os.path.lexists(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, mode)
        except FileExistsError:
            continue
        os.chmod(folder, mode)


def prepare_state_dir(root, subdirs=("runs",), files=("lock", "agent.log"),
                      trusted_uids=(0,)):
    """The state folder, created when missing (0755 whatever the umask, once the folder
    that would hold it is trusted), checked like the configuration; its sub-folders must
    be real folders (no link) of the same kind, and the files the agent appends to or
    locks regular files, not links. UnsafeFileError says what to fix."""
    root = os.path.abspath(root)
    existing = root
    while not os.path.lexists(existing):
        existing = os.path.dirname(existing)
    if existing != root:
        check_dir_safe(existing, trusted_uids)
        make_dirs(root)
    target = check_dir_safe(root, trusted_uids)
    refusals = []
    for name, want_dir in [(n, True) for n in subdirs] + [(n, False) for n in files]:
        path = os.path.join(target, name)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue    # the agent creates it
        refusals += _state_entry_refusals(path, st, want_dir, trusted_uids)
    if refusals:
        raise UnsafeFileError("\n".join(refusals), path=root)
    return target


def _state_entry_refusals(path, st, want_dir, trusted_uids):
    """Why a sub-folder (want_dir) or a file of the state folder is not to be trusted."""
    if want_dir and (stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode)):
        return ["%s: refused: %s, not a folder; fix with: rm %s (the agent creates it)"
                % (path, file_kind(st), path)]
    if not want_dir and not stat.S_ISREG(st.st_mode):
        return ["%s: refused: %s, not a regular file; fix with: rm %s (the agent creates "
                "it)" % (path, file_kind(st), path)]
    if want_dir and st.st_uid not in trusted_uids:
        return ["%s: refused: owned by uid %d, not root; fix with: chown root:system %s"
                % (path, st.st_uid, path)]
    if want_dir and st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return ["%s: refused: writable by group or others (mode %04o); fix with: chmod "
                "go-w %s" % (path, stat.S_IMODE(st.st_mode), path)]
    return []


def file_kind(st):
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a regular file"


def open_for_write(path, flags, mode=FILE_MODE):
    """A descriptor on the regular file at path opened with `flags` plus O_NOFOLLOW and
    O_NONBLOCK (a FIFO there neither blocks nor is written), given `mode` whatever the
    umask. OSError (ELOOP for a link) otherwise."""
    fd = os.open(path, flags | O_NOFOLLOW | O_NONBLOCK, mode)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "%s, not a regular file" % file_kind(st), path)
        if stat.S_IMODE(st.st_mode) != mode:
            os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd
