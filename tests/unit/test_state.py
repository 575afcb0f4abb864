import errno
import json
import os
import subprocess
import sys

import pytest

from aixdr_agent import state as st

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_atomic_write_and_read(tmp_path):
    sd = st.StateDir(str(tmp_path))
    sd.save_state({"applied_site": "prod"})
    doc = sd.load_state()
    assert doc["applied_site"] == "prod" and doc["schema"] == st.STATE_SCHEMA
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


@pytest.mark.parametrize("content", [b"", b"   \n", b'{"schema": "aixdr-agent/st', b"\x00\xff",
                                     b"[1, 2]", b'{"schema": "other"}'])
def test_torn_or_foreign_state_is_an_error_never_a_state(tmp_path, content):
    (tmp_path / "state.json").write_bytes(content)
    with pytest.raises(st.StateError) as info:
        st.StateDir(str(tmp_path)).load_state()
    assert "state.json" in str(info.value)


def test_missing_state_is_none(tmp_path):
    assert st.StateDir(str(tmp_path)).load_state() is None


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    sd = st.StateDir(str(tmp_path))
    sd.save_state({"applied_site": "prod"})

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(st.os, "write", full)
    with pytest.raises(OSError):
        sd.save_state({"applied_site": "dr"})
    monkeypatch.undo()
    assert sd.load_state()["applied_site"] == "prod"
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


def test_runs_newest_first_and_pruned(tmp_path):
    sd = st.StateDir(str(tmp_path))
    for i in range(5):
        sd.save_run({"schema": st.RUN_SCHEMA, "id": "2026010%dT000000.000Z-1" % i})
    assert sd.run_ids()[0].startswith("20260104")
    sd.prune_runs(keep=2)
    assert len(sd.run_ids()) == 2
    with pytest.raises(st.StateError):
        sd.run_path("../../etc/passwd")


def test_numbered_runs_order_by_number_not_clock_and_after_clock_named_ones(tmp_path):
    sd = st.StateDir(str(tmp_path))
    # earlier versions' records, named by a production clock years ahead
    for i in range(3):
        sd.save_run({"schema": st.RUN_SCHEMA, "id": "2031010%dT000000.000Z-1" % i})
    later = 2000000000.0
    for seq, now in ((1, later), (2, later - 86400 * 400), (10, later - 86400 * 800)):
        sd.save_run({"schema": st.RUN_SCHEMA, "id": st.new_run_id(seq, now)})
    ids = sd.run_ids()
    assert [st.run_seq(i) for i in ids] == [10, 2, 1, None, None, None]
    assert ids[0] == "000010-20310310T033320Z-%d" % os.getpid() and ids[3].startswith("20310102")
    assert sd.next_run_seq({"run_seq": 4}) == 11 and sd.next_run_seq({"run_seq": 40}) == 41
    assert sd.next_run_seq({"run_seq": "x"}) == 11 and sd.next_run_seq(None) == 11
    sd.prune_runs(keep=2, protect=[ids[4]])
    assert sd.run_ids() == ids[:2] + [ids[4]]
    sd.prune_runs(keep=0)
    assert sd.run_ids() == ids[:1]      # never the newest


def test_lock_is_exclusive_and_released_when_the_holder_dies(tmp_path):
    sd = st.StateDir(str(tmp_path))
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; sys.path.insert(0, %r)\n"
         "from aixdr_agent.state import StateDir\n"
         "l = StateDir(%r).lock().acquire(); print('held', flush=True); time.sleep(30)"
         % (ROOT, str(tmp_path))], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(st.LockHeld) as info:
        sd.lock().acquire()
    assert info.value.pid == holder.pid
    holder.kill()
    holder.wait()
    with sd.lock():  # a dead holder's lock is taken over
        assert open(sd.lock_path).read().strip() == str(os.getpid())


def test_run_record_json_roundtrip(tmp_path):
    sd = st.StateDir(str(tmp_path))
    rid = st.new_run_id(1)
    sd.save_run({"schema": st.RUN_SCHEMA, "id": rid, "steps": []})
    assert json.load(open(sd.run_path(rid)))["id"] == rid


def test_a_planted_temporary_name_is_skipped_never_written_through(tmp_path, monkeypatch):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    sd = st.StateDir(str(tmp_path / "state"))
    sd.ensure()
    tokens = iter([b"\x00\x00\x00\x01", b"\x00\x00\x00\x02"])
    monkeypatch.setattr(st.os, "urandom", lambda n: next(tokens))
    planted = os.path.join(sd.root, ".state.json.%d.00000001.tmp" % os.getpid())
    os.symlink(str(victim), planted)
    sd.save_state({"applied_site": "prod"})
    assert victim.read_text() == "precious\n"
    assert os.path.islink(planted)
    assert sd.load_state()["applied_site"] == "prod"
    assert oct(os.stat(sd.state_path).st_mode & 0o777) == "0o644"


def test_a_lock_planted_as_a_link_is_refused_and_its_target_kept(tmp_path):
    from aixdr_agent.trust import UnsafeFileError

    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    sd = st.StateDir(str(tmp_path / "state"))
    sd.ensure()
    os.symlink(str(victim), sd.lock_path)
    with pytest.raises(UnsafeFileError, match="rm "):
        sd.lock().acquire()
    assert victim.read_text() == "precious\n"


@pytest.mark.parametrize("doc,said", [
    ({"applied_site": 5}, "applied_site is 5"),
    ({"applied_site": True}, "applied_site is true"),
    ({"target": {"site": "dr", "done": 5}}, "target.done is 5"),
    ({"target": {"site": "dr", "done": [1]}}, "target.done holds"),
    ({"target": {"site": 3}}, "target.site is 3"),
    ({"target": "x"}, 'target is "x"'),
    ({"last_run": [1, 2]}, "last_run is [1, 2]"),
    ({"last_run": {"id": None}}, "last_run.id is null"),
    ({"identity": {"systemid": ["x"]}}, "identity.systemid"),
    ({"boot_time": "yesterday"}, "boot_time"),
])
def test_a_state_of_the_wrong_shape_is_torn(tmp_path, doc, said):
    sd = st.StateDir(str(tmp_path))
    sd.save_state(doc)
    with pytest.raises(st.StateError, match=said.replace("[", r"\[").replace("]", r"\]")):
        sd.load_state()
