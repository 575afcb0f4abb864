"""What the scheduler knows of AIX commands: which change nothing in the ODM (and so may
overlap one ODM change on another VG, file system or device), and roughly how long each
takes on an LPAR (seconds; only their ratios matter: they order the start of commands that
do not conflict so that short work is not queued behind a slow import)."""

# What each command works on, for the scheduler's claims: the VG named last, the device
# after -l (or -dl), the file systems named by path.
VG_LAST_ARG = frozenset(("varyonvg", "varyoffvg", "exportvg"))
DEVICE_BY_L = frozenset(("chdev", "rmdev", "mkdev"))
ON_FILESYSTEM = frozenset(("mount", "umount", "fsck", "logredo"))
NO_ODM_CHANGE = frozenset(("mount", "umount", "fsck", "logredo", "chown", "chmod"))
EXPECTED = {"cfgmgr": 4.0, "importvg": 2.0, "fsck": 2.0, "varyonvg": 1.0, "mktcpip": 1.0,
            "exportvg": 0.5, "logredo": 0.5, "mount": 0.2, "umount": 0.2, "chdev": 0.15}
EXPECTED_OTHER = 0.1
