"""agent.log: its line format, rotation, links planted in the state folder, the console's
short text and level, and a log that must never raise."""

import io
import os
import re

from aixdr_agent.log import DEBUG, ERROR, RotatingFile, setup


def test_a_line_has_time_pid_level_and_message(tmp_path):
    log = setup(str(tmp_path), syslog=False)
    log("site prod: nothing to do")
    log("details", DEBUG)
    lines = (tmp_path / "agent.log").read_text().splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} %d INFO site prod: nothing to do"
                        % os.getpid(), lines[0])
    assert lines[1].endswith(" DEBUG details")
    assert oct((tmp_path / "agent.log").stat().st_mode & 0o777) == "0o644"


def test_the_file_rotates_past_its_size_keeping_five(tmp_path):
    path = str(tmp_path / "agent.log")
    f = RotatingFile(path, max_bytes=100, backups=5)
    for n in range(40):
        f.write("line %02d %s\n" % (n, "x" * 30))
    f.close()
    names = sorted(os.listdir(str(tmp_path)))
    assert names == ["agent.log"] + ["agent.log.%d" % n for n in range(1, 6)]
    assert all(os.path.getsize(os.path.join(str(tmp_path), n)) <= 100 for n in names)
    newest, previous = open(path).read(), open(path + ".1").read()
    assert "line 39" in newest
    assert int(previous.split()[1]) < int(newest.split()[1])   # .1 is the newest backup


def test_a_link_planted_as_agent_log_is_not_followed(tmp_path):
    target = tmp_path / "passwd"
    target.write_text("root:x:0:0\n")
    os.symlink(str(target), str(tmp_path / "agent.log"))
    log = setup(str(tmp_path), syslog=False)
    log("still fine")
    assert target.read_text() == "root:x:0:0\n"


def test_the_console_gets_the_short_text_and_no_debug(tmp_path):
    out = io.StringIO()
    log = setup(str(tmp_path), console=out, syslog=False)
    log("a very long message " * 20, console="short")
    log("hidden", DEBUG)
    log("failed", ERROR)
    assert out.getvalue() == "aixdr-agent: short\naixdr-agent: failed\n"
    assert "a very long message" in (tmp_path / "agent.log").read_text()
    verbose = io.StringIO()
    setup(str(tmp_path), console=verbose, verbose=True, syslog=False)("shown", DEBUG)
    assert verbose.getvalue() == "aixdr-agent: shown\n"


def test_a_log_that_cannot_write_never_raises(tmp_path):
    class Closed(io.StringIO):
        def write(self, text):
            raise OSError("console gone")

    log = setup(str(tmp_path / "no" / "such"), console=Closed(), syslog=False)
    os.chmod(str(tmp_path), 0o500)
    try:
        log("a line")
        log("another")
    finally:
        os.chmod(str(tmp_path), 0o755)


def test_a_file_another_process_rotated_is_opened_again(tmp_path):
    path = str(tmp_path / "agent.log")
    daemon = RotatingFile(path, max_bytes=100, backups=3)
    boot = RotatingFile(path, max_bytes=100, backups=3)
    daemon.write("daemon 1 %s\n" % ("x" * 40))
    boot.write("boot 1 %s\n" % ("x" * 40))
    daemon.write("daemon 2 %s\n" % ("x" * 40))     # rotates: agent.log -> agent.log.1
    boot.write("boot 2\n")                          # into the new agent.log, not .1
    daemon.close()
    boot.close()
    assert open(path).read().splitlines()[-1] == "boot 2"
    assert "boot 2" not in open(path + ".1").read()
