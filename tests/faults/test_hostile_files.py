"""A configuration or hook script that someone other than root could change is refused:
`config check`, `plan` and `boot` exit 3 with a message that says how to fix it, and run
nothing but boot's one errlogger line. Owner, mode, symlinks (the target, every link on the
way, who owns a link in a sticky /tmp-like folder), and every directory on the way
(a 0777 grandparent, a user-owned folder, a symlinked folder leading into a 0777 one).
The same layouts with safe files pass, so each refusal is the file's fault."""

import os

import pytest

from fakeaix.scenarios import production_machine
from tests.harness import faultlib
from tests.harness.lpar import Lpar

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown")

USER = 1000  # any uid but root's
COMMANDS = (("config", "check"), ("plan", "--site", "dr"), ("boot",))
HOOK = "#!/bin/sh\nexit 0\n"


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def folder(path, mode=0o755):
    os.makedirs(path, exist_ok=True)
    os.chmod(path, mode)
    return path


def with_hook(lpar, hook, notify=None):
    text = open(lpar.config).read() + "scripts:\n  - %s\n" % hook
    if notify:
        text += "notify: [%s]\n" % notify
    write(lpar.config, text)


# Each layout gets the Lpar (config at T/etc/aixdr/agent.yaml, root, 0644) and its
# scratch folder T; it returns (path to give --config, texts the refusal must contain),
# or, with safe=True, the same layout made safe (which must be accepted).

def owner(lpar, t, safe):
    os.chown(lpar.config, 0 if safe else USER, -1)
    return lpar.config, ["owned by uid %d" % USER, "chown root:system %s" % lpar.config]


def mode(bits):
    def layout(lpar, t, safe):
        os.chmod(lpar.config, 0o644 if safe else bits)
        return lpar.config, ["mode %04o" % bits, "chmod go-w %s" % lpar.config]
    return layout


def link_to(change):
    def layout(lpar, t, safe):
        real = os.path.join(folder(os.path.join(t, "real")), "agent.yaml")
        os.rename(lpar.config, real)
        os.symlink(real, lpar.config)
        fix = change(real, safe)
        return lpar.config, ["symlink target %s" % real, fix]
    return layout


def user_owned(path, safe):
    os.chown(path, 0 if safe else USER, -1)
    return "chown root:system %s" % path


def group_writable(path, safe):
    os.chmod(path, 0o644 if safe else 0o664)
    return "chmod go-w %s" % path


def link_in_shared_folder(lpar, t, safe):
    shared = folder(os.path.join(t, "shared"), 0o755 if safe else 0o777)
    link = os.path.join(shared, "agent.yaml")
    os.symlink(lpar.config, link)
    return link, ["directory %s is writable" % shared, "chmod go-w %s" % shared]


def chain_through_shared_folder(lpar, t, safe):
    shared = folder(os.path.join(t, "shared"), 0o755 if safe else 0o777)
    os.symlink(lpar.config, os.path.join(shared, "hop.yaml"))
    link = os.path.join(t, "agent.yaml")
    os.symlink(os.path.join("shared", "hop.yaml"), link)  # relative, resolved from t
    return link, ["directory %s is writable" % shared, "chmod go-w %s" % shared]


def users_link_in_sticky_folder(lpar, t, safe):
    sticky = folder(os.path.join(t, "tmp"), 0o1777)
    link = os.path.join(sticky, "agent.yaml")
    os.symlink(lpar.config, link)
    os.lchown(link, 0 if safe else USER, -1)
    return link, ["owned by uid %d, who can replace it" % USER,
                  "chown -h root:system %s" % link]


def shared_grandparent(lpar, t, safe):
    etc = os.path.dirname(os.path.dirname(lpar.config))
    os.chmod(etc, 0o755 if safe else 0o777)
    return lpar.config, ["directory %s is writable" % etc, "chmod go-w %s" % etc]


def user_owned_folder(lpar, t, safe):
    etc_aixdr = os.path.dirname(lpar.config)
    os.chown(etc_aixdr, 0 if safe else USER, -1)
    return lpar.config, ["directory %s is owned by uid %d" % (etc_aixdr, USER),
                         "chown root:system %s" % etc_aixdr]


def folder_link_into_shared(lpar, t, safe):
    shared = folder(os.path.join(t, "shared"), 0o755 if safe else 0o777)
    inner = folder(os.path.join(shared, "aixdr"))
    os.rename(lpar.config, os.path.join(inner, "agent.yaml"))
    os.symlink(shared, os.path.join(t, "cfg"))
    return os.path.join(t, "cfg", "aixdr", "agent.yaml"), [
        "directory %s is writable" % shared, "chmod go-w %s" % shared]


def not_a_file(kind):
    def layout(lpar, t, safe):
        if safe:
            return lpar.config, []
        os.unlink(lpar.config)
        if kind == "fifo":
            os.mkfifo(lpar.config, 0o600)  # a reader without O_NONBLOCK would hang here
        elif kind == "folder":
            os.mkdir(lpar.config, 0o755)
        else:
            os.symlink("/dev/zero", lpar.config)
        return lpar.config, ["not a regular file"]
    return layout


def hook(change):
    def layout(lpar, t, safe):
        scripts = folder(os.path.join(t, "etc", "aixdr", "scripts.d"))
        script = write(os.path.join(scripts, "10-hook.sh"), HOOK, 0o755)
        path, fix = change(lpar, t, script, safe)
        with_hook(lpar, path)
        return lpar.config, fix
    return layout


def hook_owner(lpar, t, script, safe):
    os.chown(script, 0 if safe else USER, -1)
    return script, ["%s: refused: owned by uid %d" % (script, USER),
                    "chown root:system %s" % script]


def hook_mode(lpar, t, script, safe):
    os.chmod(script, 0o755 if safe else 0o775)
    return script, ["%s: refused: writable by group or others" % script,
                    "chmod go-w %s" % script]


def hook_link_to_users_file(lpar, t, script, safe):
    real = write(os.path.join(folder(os.path.join(t, "home")), "hook.sh"), HOOK, 0o755)
    os.chown(real, 0 if safe else USER, -1)
    link = os.path.join(os.path.dirname(script), "20-linked.sh")
    os.symlink(real, link)
    return link, ["symlink target %s is owned by uid %d" % (real, USER),
                  "chown root:system %s" % real]


def hook_in_shared_folder(lpar, t, script, safe):
    shared = folder(os.path.join(t, "opt", "hooks"), 0o755 if safe else 0o777)
    moved = os.path.join(shared, "hook.sh")
    os.rename(script, moved)
    return moved, ["directory %s is writable" % shared, "chmod go-w %s" % shared]


def notify_writable(lpar, t, safe):
    command = write(os.path.join(folder(os.path.join(t, "bin")), "notify"), HOOK,
                    0o755 if safe else 0o757)
    text = open(lpar.config).read() + "notify: [%s]\n" % command
    write(lpar.config, text)
    return lpar.config, ["%s: refused: writable by group or others" % command,
                         "chmod go-w %s" % command]


LAYOUTS = {
    "config-owned-by-user": owner,
    "config-group-writable": mode(0o664),
    "config-world-writable": mode(0o646),
    "symlink-to-users-file": link_to(user_owned),
    "symlink-to-writable-file": link_to(group_writable),
    "symlink-in-0777-folder": link_in_shared_folder,
    "symlink-chain-through-0777-folder": chain_through_shared_folder,
    "users-symlink-in-sticky-folder": users_link_in_sticky_folder,
    "grandparent-0777": shared_grandparent,
    "folder-owned-by-user": user_owned_folder,
    "folder-symlink-into-0777-folder": folder_link_into_shared,
    "config-is-a-fifo": not_a_file("fifo"),
    "config-is-a-folder": not_a_file("folder"),
    "config-is-a-link-to-dev-zero": not_a_file("device"),
    "hook-owned-by-user": hook(hook_owner),
    "hook-group-writable": hook(hook_mode),
    "hook-symlink-to-users-file": hook(hook_link_to_users_file),
    "hook-in-0777-folder": hook(hook_in_shared_folder),
    "notify-command-writable": notify_writable,
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, request):
    """(name, safe) -> (lpar, config path, texts, [finished processes])."""
    machine = production_machine()
    cases, jobs = {}, []
    for name, layout in LAYOUTS.items():
        for safe in (False, True):
            t = str(tmp_path_factory.mktemp(name + ("-safe" if safe else "")))
            lpar = Lpar(tmp_path_factory.mktemp("lpar"), machine)
            os.rename(lpar.config, os.path.join(folder(os.path.join(t, "etc", "aixdr")),
                                                "agent.yaml"))
            lpar.config = os.path.join(t, "etc", "aixdr", "agent.yaml")
            path, texts = layout(lpar, t, safe)
            cases[name, safe] = (lpar, path, texts, [])
            argvs = COMMANDS if not safe else (("config", "check"),)
            for argv in argvs:
                jobs.append(((name, safe), ["--config", path, "--state-dir", lpar.state]
                             + list(argv), dict(lpar.host.env())))
    done = faultlib.fork_cli([(argv, env) for _, argv, env in jobs],
                             tmp_path_factory.mktemp("forked"))
    for (key, _, _), proc in zip(jobs, done):
        cases[key][3].append(proc)
    # the real entry point too (python -m aixdr_agent), for a few of them
    for name in ("config-owned-by-user", "symlink-chain-through-0777-folder",
                 "hook-group-writable"):
        lpar, path, _, procs = cases[name, False]
        given, lpar.config = lpar.config, path
        procs.append(lpar.agent("boot"))
        lpar.config = given
    faultlib.count("hostile files refused", len(LAYOUTS))
    return cases


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_hostile_file_is_refused_with_the_fix(outcomes, name):
    lpar, path, texts, procs = outcomes[name, False]
    for proc in procs:
        what = "%s: aixdr-agent %s" % (name, " ".join(proc.args[-1:]))
        assert proc.returncode == 3, "%s: exit %s\n%s" % (what, proc.returncode, proc.stderr)
        assert "refused, nothing changed" in proc.stderr, what
        assert "Traceback" not in proc.stderr, what
        for text in texts:
            assert text in proc.stderr, "%s: %r not in\n%s" % (what, text, proc.stderr)
    # boot tells the error log (errlogger, not a change); nothing else ran
    argv0 = [c["argv"][0] for c in lpar.calls()]
    assert argv0 and set(argv0) == {"errlogger"}, argv0
    assert lpar.host.mutating_calls() == []
    assert not os.path.exists(os.path.join(lpar.state, "state.json"))


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_same_layout_made_safe_is_accepted(outcomes, name):
    lpar, path, _, procs = outcomes[name, True]
    assert [p.returncode for p in procs] == [0], procs[0].stderr
    assert "OK" in procs[0].stdout


# -- the state folder is trusted like the configuration (issue 13) ------------------------
# Settled at production first (state.json, inventory.json, runs/, lock, agent.log exist),
# then the layout is made hostile: boot (and detect) refuse with the fix, exit 3, boot
# tells the error log, nothing is written through a link, nothing changes.

VICTIM = "root:x:0:0::/:/bin/ksh\n"


def victim(t):
    return write(os.path.join(folder(os.path.join(t, "sys")), "passwd"), VICTIM)


def state_mode(lpar, t):
    os.chmod(lpar.state, 0o777)
    return ["mode 0777", "chmod go-w %s" % lpar.state], None


def state_owned_by_user(lpar, t):
    os.chown(lpar.state, USER, -1)
    return ["owned by uid %d" % USER, "chown root:system %s" % lpar.state], None


def state_link_to_users_folder(lpar, t):
    moved = os.path.join(folder(os.path.join(t, "home")), "user")
    os.rename(lpar.state, moved)
    os.chown(moved, USER, -1)
    os.symlink(moved, lpar.state)
    return ["symlink target %s is owned by uid %d" % (moved, USER),
            "chown root:system %s" % moved], None


def state_parent_writable(lpar, t):
    parent = os.path.dirname(lpar.state)
    os.chmod(parent, 0o777)
    return ["directory %s is writable" % parent, "chmod go-w %s" % parent], None


def runs_link(lpar, t):
    runs = os.path.join(lpar.state, "runs")
    elsewhere = folder(os.path.join(t, "elsewhere"), 0o777)
    os.rename(runs, os.path.join(elsewhere, "runs"))
    os.symlink(os.path.join(elsewhere, "runs"), runs)
    return ["%s: refused: a symbolic link" % runs, "rm %s" % runs], None


def planted_link(name):
    def layout(lpar, t):
        path = os.path.join(lpar.state, name)
        target = victim(t)
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(target, path)
        return ["%s: refused: a symbolic link" % path, "rm %s" % path], target
    return layout


def planted_fifo(name):
    def layout(lpar, t):
        path = os.path.join(lpar.state, name)
        os.unlink(path)
        os.mkfifo(path, 0o644)
        return ["%s: refused: a FIFO" % path, "rm %s" % path], None
    return layout


STATE_LAYOUTS = {
    "state-folder-0777": state_mode,
    "state-folder-owned-by-user": state_owned_by_user,
    "state-folder-symlink-to-users-folder": state_link_to_users_folder,
    "state-parent-0777": state_parent_writable,
    "runs-is-a-symlink": runs_link,
    "lock-symlink-to-a-system-file": planted_link("lock"),
    "agent-log-symlink-to-a-system-file": planted_link("agent.log"),
    "lock-is-a-fifo": planted_fifo("lock"),
    "agent-log-is-a-fifo": planted_fifo("agent.log"),
}


@pytest.fixture(scope="module")
def settled(tmp_path_factory):
    """A production LPAR after its adopting boot: the template of every layout."""
    lpar = Lpar(tmp_path_factory.mktemp("settled"), production_machine())
    assert lpar.boot().returncode == 0
    return lpar


def settled_copy(settled, tmp_path):
    import shutil
    lpar = Lpar(tmp_path / "lpar", settled.machine().to_dict())
    shutil.copytree(settled.state, lpar.state)
    return lpar


@pytest.mark.parametrize("name", sorted(STATE_LAYOUTS))
def test_an_unsafe_state_folder_is_refused_with_the_fix(settled, tmp_path, name):
    lpar = settled_copy(settled, tmp_path)
    state = open(os.path.join(lpar.state, "state.json"), "rb").read()
    texts, target = STATE_LAYOUTS[name](lpar, str(tmp_path))
    for argv in (("boot",), ("detect",), ("run", "--site", "prod", "--yes")):
        lpar.host.clear_calls()
        proc = lpar.agent(*argv, timeout=30)
        what = "%s: aixdr-agent %s" % (name, " ".join(argv))
        assert proc.returncode == 3, "%s: exit %s\n%s" % (what, proc.returncode,
                                                          proc.stdout + proc.stderr)
        assert "refused, nothing changed" in proc.stderr, what
        assert "Traceback" not in proc.stdout + proc.stderr, what
        for text in texts:
            assert text in proc.stderr, "%s: %r not in\n%s" % (what, text, proc.stderr)
        argv0 = {c["argv"][0] for c in lpar.calls()}
        assert argv0 == ({"errlogger"} if argv == ("boot",) else set()), (what, argv0)
    assert lpar.host.mutating_calls() == []
    if target is not None:
        assert open(target).read() == VICTIM          # nothing written through the link
    real = os.path.realpath(lpar.state)
    assert open(os.path.join(real, "state.json"), "rb").read() == state
    status = lpar.agent("status", "--json", timeout=30)
    assert status.returncode == 0 and "Traceback" not in status.stderr


def test_a_state_folder_linked_to_a_safe_folder_is_accepted(settled, tmp_path):
    lpar = settled_copy(settled, tmp_path)
    moved = os.path.join(folder(os.path.join(str(tmp_path), "safe")), "aixdr")
    os.rename(lpar.state, moved)
    os.symlink(moved, lpar.state)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_modes_are_fixed_whatever_the_umask(tmp_path):
    """umask 000 (an inittab started with a careless one): folders 0755, files 0644."""
    from fakeaix.scenarios import boot_at_dr
    lpar = Lpar(tmp_path, production_machine())
    old = os.umask(0)
    try:
        assert lpar.boot().returncode == 0
        lpar.host.save(boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
        proc = lpar.boot()
    finally:
        os.umask(old)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    seen = {}
    for parent in (os.path.dirname(os.path.dirname(lpar.state)),):
        for dirpath, dirs, files in os.walk(parent):
            for n in dirs + files:
                path = os.path.join(dirpath, n)
                seen[os.path.relpath(path, parent)] = oct(os.lstat(path).st_mode & 0o7777)
    assert len(seen) >= 7, seen
    want = {k: "0o755" if os.path.isdir(os.path.join(os.path.dirname(os.path.dirname(
        lpar.state)), k)) else "0o644" for k in seen}
    assert seen == want
