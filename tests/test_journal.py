"""The learner's journal: saving, restoring, surviving crashes and races, exporting, widgets.

Every test uses a fresh temporary journal folder (KURIL_JOURNAL_DIR) and a freshly loaded module,
as a new kernel would have; nothing touches the real home folder.
"""

import base64
import errno
import importlib
import json
import os
import random
import re
import subprocess
import sys
import textwrap
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers._journal import book
from helpers._journal import export as _export
from helpers._journal import store as _store

ROOT = Path(__file__).resolve().parent.parent
ODD = {
    "script": "<script>alert(1)</script>",
    "img": '<img src=x onerror=alert(1)> & "quotes"',
    "controls": "bell\x07 null\x00 esc\x1b tab\tend\r\nnext line",
    "emoji": "Northern Territories 🗾 / Южные Курилы 🏝️ 北方領土 👩🏽‍🔬",
    "rtl": "שלום עולם and مرحبا \u202eevil\u202c",
    "markdown": "**bold** ``` fence ``` `code` # not a heading",
}


@pytest.fixture
def jdir(tmp_path, monkeypatch):
    folder = tmp_path / "journals"
    monkeypatch.setenv("KURIL_JOURNAL_DIR", str(folder))
    return folder


@pytest.fixture
def journal(jdir, monkeypatch):
    """The journal module as a new kernel sees it (no learner chosen, nothing in memory)."""
    from helpers import journal

    importlib.reload(book)  # the engine keeps the kernel's state: start afresh
    settings = {"lessons": ["L1", "L2"], "feedback": "immediate"}
    monkeypatch.setattr(book, "_course", lambda: settings)
    yield journal
    book._downloads.clear()


def run_child(code, jdir, *args, **kwargs):
    """Run ``code`` in a new Python process (a new kernel) using the same journal folder."""
    env = {**os.environ, "KURIL_JOURNAL_DIR": str(jdir), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", textwrap.dedent(code), *map(str, args)]
    if kwargs.pop("background", False):
        return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, **kwargs)
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def on_disk(path):
    """The journal as stored: must be valid JSON in the journal format."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    assert data["format"] == "kuril-journal"
    return data


class Page(HTMLParser):
    """Tags used in an exported page, and the text of each answer box."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.answers, self._in_answer, self.script_types = [], [], False, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.script_types.append(dict(attrs).get("type"))
        if tag == "div" and ("class", "answer") in attrs:
            self._in_answer = True
            self.answers.append("")

    def handle_endtag(self, tag):
        self._in_answer = False

    def handle_data(self, data):
        if self._in_answer:
            self.answers[-1] += data


# ---------------------------------------------------------------- saving and reading


class TestRecord:
    def test_is_an_answer_on_disk_as_soon_as_record_returns(self, journal, jdir):
        entry = journal.record(
            "L1", "q1", ["a", "c"], kind="choice", correct=True, prompt="Pick two"
        )
        assert {k: entry[k] for k in ("lesson", "item", "answer", "kind", "correct", "prompt")} == {
            "lesson": "L1",
            "item": "q1",
            "answer": ["a", "c"],
            "kind": "choice",
            "correct": True,
            "prompt": "Pick two",
        }
        assert on_disk(jdir / "learner.json")["latest"]["q1"]["answer"] == ["a", "c"]
        assert journal.get("q1") == entry
        assert journal.get("never-answered") is None

    def test_does_get_return_the_latest_and_entries_keep_first_answered_order(self, journal, jdir):
        journal.record("L1", "b", 1, kind="number")
        journal.record("L2", "a", {"x": 1}, kind="dict")
        journal.record("L1", "b", 2, kind="number")
        assert journal.get("b")["answer"] == 2
        assert [e["item"] for e in journal.entries()] == ["b", "a"]
        assert [e["answer"] for e in journal.entries("L1")] == [2]
        assert [e["item"] for e in journal.entries("L2")] == ["a"]
        history = on_disk(jdir / "learner.json")["history"]
        assert [(e["item"], e["answer"]) for e in history] == [("b", 1)]

    def test_is_a_changed_returned_entry_kept_apart_from_the_journal(self, journal):
        answer = ["a"]
        entry = journal.record("L1", "q", answer, kind="choice")
        answer.append("mutated")
        entry["answer"].append("mutated too")
        assert journal.get("q")["answer"] == ["a"]

    def test_are_times_strictly_increasing_within_a_kernel(self, journal):
        times = [journal.record("L1", "same", n, kind="n")["time"] for n in range(50)]
        assert times == sorted(set(times))
        assert journal.get("same")["answer"] == 49

    @pytest.mark.parametrize("bad", [None, "", "   ", 3])
    def test_is_a_missing_item_id_refused_with_its_name(self, journal, bad):
        with pytest.raises(ValueError, match="item_id"):
            journal.record("L1", bad, "x", kind="text")

    @pytest.mark.parametrize("key", sorted(ODD))
    def test_is_odd_learner_text_stored_exactly(self, journal, key):
        journal.record("L1", key, ODD[key], kind="text")
        assert journal.get(key)["answer"] == ODD[key]
        assert "note" not in journal.get(key)

    def test_is_large_text_stored_whole(self, journal):
        big = "長い答え. " * 50_000  # 350,000 characters
        journal.record("L1", "big", big, kind="text")
        assert journal.get("big")["answer"] == big

    def test_is_text_over_the_limit_cut_with_a_clear_note(self, journal, monkeypatch):
        monkeypatch.setattr(book, "MAX_ANSWER_CHARS", 1000)
        entry = journal.record("L1", "huge", "y" * 5000, kind="text")
        assert entry["answer"] == "y" * 1000
        assert "5,000 characters" in entry["note"] and "first 1,000" in entry["note"]
        assert "5,000 characters" in journal.export_html()

    def test_are_lone_surrogates_replaced_with_a_note(self, journal):
        entry = journal.record("L1", "sur", "half \ud83d of an emoji", kind="text")
        assert entry["answer"] == "half \ufffd of an emoji"
        assert "replaced" in entry["note"]
        assert journal.get("sur")["answer"] == "half \ufffd of an emoji"

    def test_is_a_value_json_cannot_hold_saved_as_text_with_a_note(self, journal):
        entry = journal.record("L1", "odd", {"set": {3, 1}, "obj": object()}, kind="x")
        assert entry["answer"]["set"] == [1, 3]
        assert entry["answer"]["obj"].startswith("<object object")
        assert "saved as text" in entry["note"]


class TestMerge:
    def entry(self, item, t, answer=None):
        return {
            "lesson": "L",
            "item": item,
            "answer": answer or t,
            "kind": "k",
            "correct": None,
            "prompt": None,
            "time": t,
        }

    def test_does_merge_keep_the_newest_per_item_and_drop_duplicates(self):
        data = _store.merge(_store.empty(), [self.entry("a", "2"), self.entry("b", "1")])
        data = _store.merge(
            data, [self.entry("a", "1"), self.entry("a", "2"), self.entry("b", "3")]
        )
        assert list(data["latest"]) == ["a", "b"]
        assert data["latest"]["a"]["time"] == "2" and data["latest"]["b"]["time"] == "3"
        assert sorted((e["item"], e["time"]) for e in data["history"]) == [("a", "1"), ("b", "1")]

    def test_is_history_bounded_per_item_keeping_the_most_recent(self):
        versions = [self.entry("a", f"{n:04d}") for n in range(100)]
        data = _store.merge(_store.empty(), versions)
        assert data["latest"]["a"]["time"] == "0099"
        assert [e["time"] for e in data["history"]] == [f"{n:04d}" for n in range(79, 99)]

    def test_is_history_bounded_by_size(self, monkeypatch):
        monkeypatch.setattr(_store, "HISTORY_CHARS", 2500)
        versions = [self.entry("a", f"{n:02d}", answer="z" * 1000) for n in range(10)]
        data = _store.merge(_store.empty(), versions)
        assert [e["time"] for e in data["history"]] == ["07", "08"]

    @pytest.mark.parametrize(
        "name, expected",
        [
            ("Aiko Tanaka", "aiko-tanaka"),
            ("../../etc/passwd", "etc-passwd"),
            ("CON", "learner-con"),
            ("", "learner"),
            ("  ", "learner"),
            ("田中 愛子", "田中-愛子"),
            ("Ivan/Иван", "ivan-иван"),
        ],
    )
    def test_is_a_learner_name_made_a_safe_file_name(self, name, expected):
        assert _store.slug(name) == expected


class TestWhere:
    def test_does_course_yml_choose_the_folder_when_no_env_is_set(
        self, journal, tmp_path, monkeypatch
    ):
        from helpers import course

        (tmp_path / "course.yml").write_text("journal_dir: my-journals\n", encoding="utf-8")
        monkeypatch.setenv("KURIL_COURSE_FILE", str(tmp_path / "course.yml"))
        monkeypatch.delenv("KURIL_JOURNAL_DIR")
        monkeypatch.setattr(book, "_course", course.settings)
        assert journal.journal_dir() == (tmp_path / "my-journals").resolve()
        journal.record("L1", "q", "here", kind="text")
        assert on_disk(tmp_path / "my-journals" / "learner.json")["latest"]["q"]["answer"] == "here"

    def test_is_the_home_folder_the_last_resort(self, journal, tmp_path, monkeypatch):
        monkeypatch.delenv("KURIL_JOURNAL_DIR")
        monkeypatch.setenv("HOME", str(tmp_path))
        monkeypatch.setattr(book, "_course", lambda: {})
        assert journal.journal_dir() == tmp_path / "kuril-journal"


# ---------------------------------------------------------------- restart


class TestRestart:
    def test_are_answers_back_after_a_kernel_restart(self, journal, jdir):
        run_child(
            """
            from helpers import journal
            journal.set_learner("Aiko")
            journal.record("L1", "q1", "first kernel", kind="text", prompt="Why?")
            journal.record("L1", "emoji", "🗾 \\u0000 שלום", kind="text")
            """,
            jdir,
        )
        out = run_child(
            """
            import json
            from helpers import journal
            box = journal.respond("q1", "Why?")
            print(json.dumps([journal.learner(), box.text.value, journal.get("emoji")["answer"],
                              box.status.value]))
            """,
            jdir,
        )
        name, text, emoji, status = json.loads(out)
        assert (name, text, emoji) == ("Aiko", "first kernel", "🗾 \x00 שלום")
        assert status.startswith("Restored your answer saved today at ")

    def test_does_a_reloaded_module_restore_boxes_and_the_name(self, journal):
        journal.start("L1").name.value = "Aiko"
        journal.respond("p1", "Say something", lesson="L1").text.value = "kept"
        fresh = importlib.reload(book)
        assert fresh._session == {} and fresh._state["learner"] is None
        assert journal.start("L1").name.value == "Aiko"
        assert journal.respond("p1", "Say something").text.value == "kept"


# ---------------------------------------------------------------- the Voila app


class TestAppSessions:
    """In the Voila app (one kernel per page, many visitors on one server) each page keeps its
    own journal; a typed name is a label, never a key to someone else's answers."""

    SETTINGS = {"lessons": ["L1", "L2"], "feedback": "immediate"}

    def page(self, monkeypatch, kernel, settings=None):
        """A new app page: a fresh kernel that Voila started (its variables set)."""
        monkeypatch.setenv("VOILA_KERNEL_ID", kernel)
        fresh = importlib.reload(book)
        monkeypatch.setattr(fresh, "_course", lambda: settings or self.SETTINGS)
        from helpers import journal

        return journal

    def test_two_pages_with_the_same_name_never_share_answers(self, journal, jdir, monkeypatch):
        first = self.page(monkeypatch, "kernel-1")
        start = first.start("L1")
        start.name.value = "Aiko"
        first.record("L1", "q1", "Aiko one's answer", kind="text")
        first.respond("p1", "Why?", lesson="L1").text.value = "Aiko one's reasons"
        path_one = first.journal_path()

        second = self.page(monkeypatch, "kernel-2")
        box = second.start("L1")
        assert box.name.value == ""  # no name carried over from another visitor
        box.name.value = "Aiko"
        assert second.get("q1") is None and second.entries() == []
        assert "Restored" not in box.status.value and "own journal" in box.status.value
        assert second.respond("p1", "Why?", lesson="L1").text.value == ""
        second.record("L1", "q1", "Aiko two's answer", kind="text")
        assert second.journal_path() != path_one

        sessions = sorted((jdir / book.APP_SESSIONS).glob("*.json"))
        assert sorted(sessions) == sorted([path_one, second.journal_path()])
        answers = {p: on_disk(p)["latest"]["q1"]["answer"] for p in sessions}
        assert answers == {path_one: "Aiko one's answer",
                           second.journal_path(): "Aiko two's answer"}
        assert {on_disk(p)["learner"] for p in sessions} == {"Aiko"}
        assert "Aiko one's" not in second.export_html()
        assert not (jdir / "aiko.json").exists() and not (jdir / book._POINTER).exists()

    def test_a_name_typed_in_a_notebook_is_not_restored_in_the_app(self, journal, jdir,
                                                                   monkeypatch):
        journal.set_learner("Aiko")
        journal.record("L1", "q1", "from JupyterLab", kind="text")
        app = self.page(monkeypatch, "kernel-3")
        assert app.learner() == book.DEFAULT_LEARNER
        app.set_learner("Aiko")
        assert app.get("q1") is None
        assert on_disk(jdir / "aiko.json")["latest"]["q1"]["answer"] == "from JupyterLab"

    def test_a_name_typed_late_labels_the_page_journal(self, journal, jdir, monkeypatch):
        app = self.page(monkeypatch, "kernel-4")
        app.record("L1", "q1", "before the name", kind="text")
        path = app.set_learner("Ren")
        assert path == app.journal_path() and on_disk(path)["learner"] == "Ren"
        assert app.get("q1")["answer"] == "before the name"

    def test_downloads_written_as_files_never_replace_another_page(self, journal, jdir,
                                                                   monkeypatch):
        paths = []
        for kernel in ("kernel-5", "kernel-6"):
            app = self.page(monkeypatch, kernel)
            app.set_learner("Aiko")
            app.record("L1", "q1", f"answer of {kernel}", kind="text")
            paths.append(app.write_export())
        assert paths[0] != paths[1] and all(p.parent == jdir / book.APP_SESSIONS for p in paths)
        assert "answer of kernel-5" in paths[0].read_text(encoding="utf-8")
        assert "answer of kernel-6" not in paths[0].read_text(encoding="utf-8")

    @pytest.mark.parametrize("variable", book.VOILA_VARIABLES)
    def test_any_variable_voila_sets_means_the_app(self, journal, monkeypatch, variable):
        for name in book.VOILA_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        assert not book.in_app() and not book.per_session()
        monkeypatch.setenv(variable, "x")
        assert book.in_app() and book.per_session()

    def test_by_name_is_the_one_projector_setting(self, journal, jdir, monkeypatch):
        settings = {**self.SETTINGS, "app_journals": "by_name"}
        first = self.page(monkeypatch, "kernel-7", settings)
        first.set_learner("Class 3B")
        first.record("L1", "q1", "the class's answer", kind="text")
        second = self.page(monkeypatch, "kernel-8", settings)
        assert second.learner() == "Class 3B" and second.get("q1")["answer"] == (
            "the class's answer")
        assert (jdir / "class-3b.json").exists() and not (jdir / book.APP_SESSIONS).exists()

    def test_course_yml_option_is_checked(self, course_root):
        from helpers import course

        assert course.settings()["app_journals"] == "per_session"
        (course_root / "course.yml").write_text("app_journals: shared\n", encoding="utf-8")
        assert course.settings()["app_journals"] == "per_session"
        assert any(p.field == "app_journals" and "by_name" in p.message
                   for p in course.problems())
        (course_root / "course.yml").write_text("app_journals: by_name\n", encoding="utf-8")
        assert course.settings()["app_journals"] == "by_name" and course.problems() == []

    def test_in_a_real_voila_kernel_pages_stay_apart(self, journal, jdir):
        """Two new kernels (processes) with Voila's variable set, the same name in both."""
        code = """
            import os, sys, json
            os.environ["VOILA_KERNEL_ID"] = sys.argv[1]
            from helpers import journal
            journal.set_learner("Aiko")
            before = journal.get("q1")
            journal.record("L1", "q1", "answer in " + sys.argv[1], kind="text")
            print(json.dumps(before))
            """
        assert run_child(code, jdir, "k-a").strip() == "null"
        assert run_child(code, jdir, "k-b").strip() == "null"
        found = {on_disk(p)["latest"]["q1"]["answer"]
                 for p in (jdir / book.APP_SESSIONS).glob("*.json")}
        assert found == {"answer in k-a", "answer in k-b"}


# ---------------------------------------------------------------- crashes and races


class TestInterruptedSaves:
    def test_do_random_failures_mid_save_keep_the_last_good_file(self, journal, jdir, monkeypatch):
        """Saves fail at random (half-written temp file, fsync, replace): the previous file must
        stay byte-for-byte intact, the failed answer stay available and reach disk with the next
        save."""
        rng = random.Random(20240511)
        real = {"write": os.write, "fsync": os.fsync, "replace": os.replace}
        fail = {"at": None}

        def write(fd, data):
            if fail["at"] == "write":
                real["write"](fd, bytes(data[: max(1, len(data) // 2)]))
                raise OSError(errno.ENOSPC, "No space left on device")
            return real["write"](fd, data)

        def fsync(fd):
            if fail["at"] == "fsync":
                raise OSError(errno.EIO, "Input/output error")
            return real["fsync"](fd)

        def replace(src, dst):
            if fail["at"] == "replace":
                raise OSError(errno.EIO, "Input/output error")
            return real["replace"](src, dst)

        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)
        path, failures = jdir / "learner.json", 0
        for n in range(80):
            before = path.read_bytes() if path.exists() else None
            fail["at"] = rng.choice([None, None, "write", "fsync", "replace"]) if n < 79 else None
            journal.record("L1", f"i{n}", f"answer {n} " + "x" * rng.randrange(5000), kind="text")
            if fail["at"]:
                failures += 1
                assert (path.read_bytes() if path.exists() else None) == before
                assert "Could not save" in journal.status()
            else:
                assert set(on_disk(path)["latest"]) == {f"i{k}" for k in range(n + 1)}
                assert "Could not save" not in journal.status() and journal.save_error() is None
            fail["at"] = None
            assert [e["item"] for e in journal.entries()] == [f"i{k}" for k in range(n + 1)]
        assert failures > 15
        assert book._pending == {}
        assert list(jdir.glob(".*.tmp")) == []

    def test_do_killed_saves_never_corrupt_the_journal(self, journal, jdir):
        """Kernels die while saving, some killed from outside at random moments, some stopping
        themselves at a random step inside a save (mid-write, before fsync, before the rename).
        Every answer a kernel confirmed must be on disk, and the file must always read cleanly."""
        child = """
            import os, random, sys
            from helpers import journal
            from helpers._journal import book
            run, how, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
            rng, pad = random.Random(seed), "x" * 20000
            die_at = rng.randrange(3, 12)
            step = rng.choice(["write", "fsync", "replace"])

            def dying(name):
                real = getattr(os, name)

                def call(*args):
                    if name == "write":  # leave a random part of the data written
                        real(args[0], bytes(args[1][: rng.randrange(len(args[1]))]))
                    os._exit(137)
                return call

            i = 0
            while True:
                if how == "self" and i == die_at:
                    setattr(os, step, dying(step))
                journal.record("kill", f"{run}-{i}", f"{run}-{i} " + pad, kind="text")
                if not book._pending:
                    print(i, flush=True)
                i += 1
            """
        rng = random.Random(7)
        confirmed = set()
        for run in range(12):
            how = "outside" if run % 3 == 0 else "self"
            proc = run_child(child, jdir, f"r{run}", how, run, background=True)
            first = ""
            if how == "outside":  # once it is saving (its first save confirmed), at a random moment
                first = proc.stdout.readline()
                time.sleep(rng.random() * 0.5)
                proc.kill()
            try:
                out, _ = proc.communicate(timeout=60)
            finally:
                proc.kill()
            out = first + out
            assert proc.returncode != 0
            confirmed |= {f"r{run}-{line}" for line in out.split()}
            data, notes = _store.read(jdir / "learner.json")
            assert notes == []
            assert confirmed <= set(data["latest"])
        assert len(confirmed) >= 8 * 3  # each self-stopping run confirms at least 3
        assert list(jdir.glob("*.corrupt-*")) == []


class TestConcurrentSaves:
    def test_does_saving_work_without_file_locking(self, journal, jdir, monkeypatch):
        """Systems without fcntl or msvcrt (or where locking fails) still save, unlocked."""
        monkeypatch.setattr(_store, "fcntl", None)
        monkeypatch.setattr(_store, "msvcrt", None)
        journal.record("L1", "q", "no locks here", kind="text")
        assert on_disk(jdir / "learner.json")["latest"]["q"]["answer"] == "no locks here"

    @pytest.mark.skipif(_store.fcntl is None, reason="needs fcntl")
    def test_does_a_stuck_lock_delay_a_save_but_not_stop_it(self, journal, jdir, monkeypatch):
        monkeypatch.setattr(_store, "LOCK_TIMEOUT", 0.3)
        jdir.mkdir()
        with open(jdir / ".learner.json.lock", "a+b") as held:
            _store.fcntl.flock(held.fileno(), _store.fcntl.LOCK_EX)
            started = time.monotonic()
            journal.record("L1", "q", "saved anyway", kind="text")
            assert time.monotonic() - started >= 0.3
        assert on_disk(jdir / "learner.json")["latest"]["q"]["answer"] == "saved anyway"

    def test_do_two_kernels_saving_at_once_keep_every_answer(self, journal, jdir):
        child = """
            import sys, time
            from pathlib import Path
            from helpers import journal
            from helpers._journal import book
            name, n, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
            go.with_name(f"ready-{name}").touch()  # imported: waiting for the start
            while not go.exists():
                time.sleep(0.001)
            for i in range(n):
                journal.record("race", f"{name}-{i}", f"{name} answer {i}", kind="text")
                journal.record("race", "shared", f"{name} {i}", kind="text")
            assert not book._pending, journal.status()
            """
        go, n = jdir.parent / "go", 120
        procs = [run_child(child, jdir, who, n, go, background=True) for who in ("A", "B")]
        ready = [go.with_name(f"ready-{who}") for who in ("A", "B")]
        deadline = time.monotonic() + 120
        while (not all(r.exists() for r in ready) and time.monotonic() < deadline
               and all(p.poll() is None for p in procs)):
            time.sleep(0.01)  # until both children have imported and wait
        go.touch()
        for proc in procs:
            try:
                proc.communicate(timeout=300)
            finally:
                proc.kill()
            assert proc.returncode == 0
        found = {e["item"]: e["answer"] for e in journal.entries("race")}
        expected = {f"{w}-{i}": f"{w} answer {i}" for w in "AB" for i in range(n)}
        assert {k: v for k, v in found.items() if k != "shared"} == expected
        data = on_disk(jdir / "learner.json")
        shared = [data["latest"]["shared"], *(e for e in data["history"] if e["item"] == "shared")]
        assert data["latest"]["shared"]["time"] == max(e["time"] for e in shared)
        assert data["latest"]["shared"]["answer"] in {f"A {n - 1}", f"B {n - 1}"}


# ---------------------------------------------------------------- bad files


class TestCorruptFile:
    def aside(self, jdir):
        return sorted(jdir.glob("learner.corrupt-*.json"))

    @pytest.mark.parametrize(
        "content",
        [
            b'{"format": "kuril-journal", "latest": {"q": ',
            b"\xff\xfe garbage",
            b"[1, 2, 3]",
            b'{"format": "kuril-journal", "version": 99, "latest": {}}',
            b"",
        ],
        ids=["truncated", "not-utf8", "a-list", "newer-version", "empty"],
    )
    def test_is_a_bad_file_moved_aside_and_a_new_one_started(self, journal, jdir, content):
        jdir.mkdir()
        (jdir / "learner.json").write_bytes(content)
        assert journal.get("q") is None
        [aside] = self.aside(jdir)
        assert aside.read_bytes() == content
        assert aside.name in journal.status()
        assert aside.name in journal.start("L1").status.value
        journal.record("L1", "q", "fresh start", kind="text")
        assert on_disk(jdir / "learner.json")["latest"]["q"]["answer"] == "fresh start"
        assert len(self.aside(jdir)) == 1

    def test_are_good_answers_recovered_from_a_damaged_file(self, journal, jdir):
        journal.record("L1", "good", "keep me", kind="text")
        journal.record("L1", "bad", "lose me", kind="text")
        raw = on_disk(jdir / "learner.json")
        raw["latest"]["bad"] = "not an entry"
        (jdir / "learner.json").write_text(json.dumps(raw), encoding="utf-8")
        assert journal.get("good")["answer"] == "keep me"
        assert journal.get("bad") is None
        [aside] = self.aside(jdir)
        assert json.loads(aside.read_text())["latest"]["bad"] == "not an entry"
        assert "1 answer recovered from it" in journal.status()
        assert set(on_disk(jdir / "learner.json")["latest"]) == {"good"}

    def test_are_answers_recovered_from_a_truncated_file(self, journal, jdir):
        """Cut a journal anywhere: every entry written before the cut is recovered, nothing else
        appears, and the learner is told how many and where the damaged copy is."""
        for i in range(6):
            journal.record("L1", f"q{i % 4}", {"text": f"answer {i} {{with braces}}"}, kind="t")
        text = (jdir / "learner.json").read_text(encoding="utf-8")
        original = {(e["item"], e["time"]): e for data in [on_disk(jdir / "learner.json")]
                    for e in [*data["latest"].values(), *data["history"]]}
        for cut in range(len(text) // 10, len(text) - 2, max(len(text) // 23, 1)):
            for old in jdir.glob("learner*.json"):
                old.unlink()
            (jdir / "learner.json").write_text(text[:cut], encoding="utf-8")
            book._notices.clear()  # only this cut's notice
            complete = {key for key, e in original.items()
                        if text.index("}", text.index(f'"time": "{e["time"]}"')) < cut}
            assert journal.entries() is not None  # reading recovers, moves the file aside
            recovered = on_disk(jdir / "learner.json") if complete else {"latest": {},
                                                                         "history": []}
            got = {(e["item"], e["time"]): e for e in [*recovered["latest"].values(),
                                                       *recovered["history"]]}
            assert set(got) == complete, cut
            assert all(got[k] == original[k] for k in got)
            [aside] = self.aside(jdir)
            assert aside.read_text(encoding="utf-8") == text[:cut]
            n = len({item for item, _ in complete})
            words = (f"{n} answer{'s' if n != 1 else ''} recovered" if n
                     else "no answer could be recovered")
            assert words in journal.status() and str(aside.parent) in journal.status()

    def test_are_answers_recovered_from_a_file_with_bad_bytes(self, journal, jdir):
        journal.record("L1", "a", "first answer", kind="text")
        journal.record("L1", "b", "second answer", kind="text")
        blob = (jdir / "learner.json").read_bytes().replace(b"first", b"fi\xffst")
        (jdir / "learner.json").write_bytes(blob)
        assert journal.get("b")["answer"] == "second answer"
        assert journal.get("a")["answer"] == "fi\ufffdst answer"
        assert "not UTF-8" in journal.status() and "2 answers recovered" in journal.status()

    def test_is_the_journal_strict_json_whatever_the_answer(self, journal, jdir):
        """NaN and Infinity are not JSON: another tool's JSON.parse must read every journal."""
        for i, value in enumerate([float("nan"), float("inf"), -float("inf"), 10 ** 400,
                                   {"a": [float("nan"), 1.5]}, 1e308]):
            entry = journal.record("L1", f"n{i}", value, kind="number")
            assert json.dumps(entry["answer"], allow_nan=False)
        text = (jdir / "learner.json").read_text(encoding="utf-8")

        def refuse(name):
            raise ValueError(f"{name} in the journal")

        data = json.loads(text, parse_constant=refuse)
        answers = {k: e["answer"] for k, e in data["latest"].items()}
        assert answers["n0"] == "nan" and answers["n1"] == "inf" and answers["n2"] == "-inf"
        assert answers["n3"] == 10 ** 400 and answers["n4"] == {"a": ["nan", 1.5]}
        assert "not a finite number" in data["latest"]["n0"]["note"]
        assert "note" not in data["latest"]["n5"]

    def test_is_an_old_journal_with_bare_nan_read_and_written_back_strict(self, journal, jdir):
        jdir.mkdir()
        entry = {"lesson": "L1", "item": "old", "kind": "number", "correct": None,
                 "prompt": None, "time": "2024-01-01T00:00:00+00:00"}
        text = json.dumps({"format": "kuril-journal", "version": 1, "learner": None,
                           "latest": {"old": {**entry, "answer": float("nan")},
                                      "big": {**entry, "item": "big", "answer": 1.0}},
                           "history": []})
        (jdir / "learner.json").write_text(text.replace("1.0", "1e400"), encoding="utf-8")
        assert journal.get("old")["answer"] == "NaN" and journal.get("big")["answer"] == "1e400"
        journal.record("L1", "new", 2, kind="number")
        data = json.loads((jdir / "learner.json").read_text(encoding="utf-8"),
                          parse_constant=lambda name: pytest.fail(f"{name} written"))
        assert data["latest"]["old"]["answer"] == "NaN" and self.aside(jdir) == []

    def test_is_a_bad_file_that_cannot_be_moved_left_untouched(self, journal, jdir, monkeypatch):
        jdir.mkdir()
        (jdir / "learner.json").write_bytes(b"{broken")
        real_replace = os.replace

        def replace(src, dst):
            if ".corrupt-" in str(dst):
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_replace(src, dst)

        monkeypatch.setattr(os, "replace", replace)
        entry = journal.record("L1", "q", "still here", kind="text")
        assert (jdir / "learner.json").read_bytes() == b"{broken"
        assert journal.get("q") == entry
        assert "left untouched" in journal.status()
        assert "still here" in journal.export_html()

    def test_does_an_unwritable_folder_keep_answers_in_memory(
        self, journal, jdir, tmp_path, monkeypatch
    ):
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        monkeypatch.setenv("KURIL_JOURNAL_DIR", str(blocker / "journals"))
        box = journal.respond("p", "Prompt", lesson="L1")
        box.text.value = "typed while the disk fails"
        assert "Not saved to disk" in box.status.value and "Download my work" in box.status.value
        assert journal.get("p")["answer"] == "typed while the disk fails"
        assert "typed while the disk fails" in journal.export_html()
        monkeypatch.setenv("KURIL_JOURNAL_DIR", str(jdir))  # the disk is back
        journal.set_learner("Aiko")
        assert on_disk(jdir / "aiko.json")["latest"]["p"]["answer"] == "typed while the disk fails"

    def test_are_failed_saves_written_with_the_next_one(self, journal, jdir, monkeypatch):
        real_update = _store.update

        def full_disk(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(_store, "update", full_disk)
        journal.record("L1", "a", 1, kind="n")
        assert "No space left" in journal.status() and "No space left" in journal.save_error()
        monkeypatch.setattr(_store, "update", real_update)
        journal.record("L1", "b", 2, kind="n")
        assert set(on_disk(jdir / "learner.json")["latest"]) == {"a", "b"}
        assert "Could not save" not in journal.status() and journal.save_error() is None


# ---------------------------------------------------------------- exports


class TestExport:
    def fill(self, journal):
        for n, key in enumerate(sorted(ODD)):
            journal.record(
                "L2" if n % 2 else "L1", key, ODD[key], kind="text", prompt=f"Prompt *{key}*"
            )
        journal.record("L1", "choice", ["b", "c"], kind="choice", correct=False)

    def test_is_every_answer_in_the_page_as_text(self, journal):
        self.fill(journal)
        page = journal.export_html()
        parsed = Page(page)
        assert "img" not in parsed.tags
        # the one script block is the hand-in's data: JSON, which a browser never runs
        assert parsed.script_types == ["application/json"]
        expected = [_export.visible(_export.answer_text(e["answer"], e["kind"]))
                    for e in journal.entries()]
        assert sorted(parsed.answers) == sorted(expected)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<em>script</em>" in page  # prompts are Markdown
        assert "Content-Security-Policy" in page

    def test_are_control_characters_shown_as_symbols_and_rtl_kept(self, journal):
        self.fill(journal)
        page = journal.export_html("L1") + journal.export_html("L2")
        assert "bell\u2407 null\u2400 esc\u241b tab\tend\nnext line" in page
        assert "\x00" not in page and "\x07" not in page
        assert "שלום עולם" in page and 'dir="auto"' in page

    def test_does_a_lesson_export_hold_only_that_lesson(self, journal):
        self.fill(journal)
        l1 = Page(journal.export_html("L1")).answers
        l2 = Page(journal.export_html("L2")).answers
        everything = Page(journal.export_html()).answers
        assert len(l1) == len([e for e in journal.entries() if e["lesson"] == "L1"]) == 4
        assert len(l2) == 3 and sorted(l1 + l2) == sorted(everything)
        assert "lesson L1" in journal.export_html("L1")
        assert "the whole course" in journal.export_html()

    def test_are_lessons_in_course_order(self, journal):
        journal.record("L2", "late", "x", kind="text")
        journal.record(None, "loose", "y", kind="text")
        journal.record("L1", "early", "z", kind="text")
        page = journal.export_html()
        assert (
            page.index("<h2>L1</h2>") < page.index("<h2>L2</h2>") < page.index("<h2>Other answers")
        )

    def test_is_correctness_hidden_in_graded_mode(self, journal):
        journal.record("L1", "q", "a", kind="choice", correct=False)
        assert "checked: not correct" in journal.export_html()
        book._course()["feedback"] = "none"
        assert "checked" not in journal.export_html() and "checked" not in journal.export_markdown()

    def test_does_the_markdown_fence_every_answer_whole(self, journal):
        self.fill(journal)
        md = journal.export_markdown()
        blocks = re.findall(r"^(`{3,})text\n(.*?)\n\1$", md, flags=re.S | re.M)
        expected = [_export.visible(_export.answer_text(e["answer"], e["kind"]))
                    for e in journal.entries()]
        assert sorted(text for _, text in blocks) == sorted(expected)
        assert "<script>" not in md.replace(ODD["script"], "")

    def test_does_write_export_put_the_file_beside_the_journal(self, journal, jdir):
        journal.set_learner("Aiko")
        self.fill(journal)
        path = journal.write_export("L1")
        assert path == jdir / "my-work-aiko-l1.html"
        assert "&lt;img src=x onerror=alert(1)&gt;" in path.read_text(encoding="utf-8")
        md = journal.write_export(fmt="md")
        assert md.name == "my-work-aiko-course.md" and "```text" in md.read_text(encoding="utf-8")
        with pytest.raises(ValueError, match="html"):
            journal.write_export(fmt="pdf")

    def test_is_an_empty_journal_exported_with_a_message(self, journal):
        assert "No answers saved yet" in journal.export_html()


@pytest.fixture
def tokyo():
    """The kernel's local time is Tokyo's (UTC+9), then back to what it was."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


class TestTimesSayTheirZone:
    """A hand-in is read on another computer, often in another zone: every time on it says
    which zone it is in (a Binder server's clock is UTC, the instructor's may not be)."""

    def test_the_zone_is_utc_or_an_offset(self):
        from datetime import datetime, timedelta, timezone

        def at(**offset):
            return datetime(2026, 12, 6, tzinfo=timezone(timedelta(**offset)))

        assert _export.zone(at(hours=0)) == "UTC"
        assert _export.zone(at(hours=9)) == "UTC+09:00"
        assert _export.zone(at(hours=-3, minutes=-30)) == "UTC-03:30"
        assert _export.zone(at(hours=5, minutes=45)) == "UTC+05:45"

    def test_a_saved_time_is_local_with_its_zone(self, tokyo):
        assert _export.local_time("2026-12-06T05:05:00+00:00") == "2026-12-06 14:05 UTC+09:00"
        assert _export.local_time("2026-12-06T05:05:00") == "2026-12-06 14:05 UTC+09:00"  # UTC
        assert _export.local_time("not a time") == "not a time"
        # on the learner's own screen, their own zone goes unsaid; UTC (a server's) is named
        assert _export.local_time("2026-12-06T05:05:00+00:00", "%H:%M", always_zone=False) \
            == "14:05"

    def test_every_time_on_a_hand_in_names_its_zone(self, journal, tokyo):
        journal.record("L1", "q1", "an answer", kind="text")
        for page in (journal.export_html(), journal.export_markdown().replace("\\", "")):
            # (Markdown escapes the - and + of a time: read without the backslashes)
            times = re.findall(r"(?:saved|exported) \d{4}-\d\d-\d\d \d\d:\d\d"
                               r"( UTC(?:[+-]\d\d:\d\d)?)?", page)
            assert len(times) >= 2 and all(z == " UTC+09:00" for z in times), times


# ---------------------------------------------------------------- widgets


def link_page(box):
    """The HTML page inside a download box's data: link, as the browser would save it."""
    match = re.search(
        r'download="([^"]+)" href="data:text/html;charset=utf-8;base64,([^"]+)"', box.link.value
    )
    return match.group(1), base64.b64decode(match.group(2)).decode("utf-8")


class TestWidgets:
    def test_does_start_show_a_name_field_where_work_is_saved_and_a_download(self, journal, jdir):
        box = journal.start("L1")
        assert box.name.description == "Your name" and box.name.value == ""
        assert box.name.continuous_update is False
        assert str(jdir / "learner.json") in box.status.value
        assert "nothing is sent anywhere" in box.status.value and "Binder" in box.status.value
        assert "Restored" not in box.status.value
        assert isinstance(box.download, journal.DownloadBox) and box.download.lesson == "L1"
        assert journal.start("L1").name.value == ""  # twice is fine

    def test_does_start_say_how_many_answers_were_restored(self, journal):
        journal.record("L1", "a", 1, kind="n")
        journal.record("L1", "b", 2, kind="n")
        journal.record("L2", "c", 3, kind="n")
        assert "Restored 2 answers (1 more from other lessons)." in journal.start("L1").status.value

    def test_does_typing_a_name_switch_journal_and_carry_this_session(self, journal, jdir):
        box = journal.start("L1")
        journal.record("L1", "early", "before the name", kind="text")
        box.name.value = "  Aiko   Tanaka "
        assert journal.learner() == "Aiko Tanaka"
        assert on_disk(jdir / "aiko-tanaka.json")["latest"]["early"]["answer"] == "before the name"
        assert (jdir / "last-learner.txt").read_text(encoding="utf-8").strip() == "Aiko Tanaka"
        assert "aiko-tanaka.json" in box.status.value
        assert "The 1 answer you gave before typing your name is saved" in box.status.value
        # a first name: no journal existed, so nothing was restored (issue 13)
        assert "Restored" not in box.status.value
        assert 'download="my-work-aiko-tanaka-l1.html"' in box.download.link.value

    def test_does_a_name_with_an_earlier_journal_count_only_what_was_restored(self, journal):
        journal.start("L1").name.value = "Aiko"
        journal.record("L1", "old", "from an earlier visit", kind="text")
        journal.start("L1").name.value = ""
        book._session.clear()  # a new kernel: this session has answered nothing yet
        box = journal.start("L1")
        journal.record("L1", "new", "before the name", kind="text")
        box.name.value = "Aiko"
        assert "Restored 1 answer." in box.status.value  # "old", not the one just carried over
        assert "The 1 answer you gave before typing your name" in box.status.value

    def test_is_a_name_with_markup_shown_as_text(self, journal):
        box = journal.start("L1")
        box.name.value = "<b onmouseover=alert(1)>Eve</b>"
        assert "<b onmouseover" not in box.status.value and "&lt;b onmouseover" in box.status.value
        name, page = link_page(box.download)
        assert "<b onmouseover" not in page and "&lt;b onmouseover=alert(1)&gt;Eve" in page
        assert re.fullmatch(r"[\w.-]+", name), name

    def test_does_setting_the_text_save_it(self, journal):
        box = journal.respond(
            "p1", "What **do** you think? <img src=x onerror=alert(1)>", lesson="L1"
        )
        assert box.text.continuous_update is False
        assert "<strong>do</strong>" in box.prompt.value and "<img" not in box.prompt.value
        assert box.status.value.startswith("Not saved yet")
        box.text.value = ODD["rtl"]
        saved = journal.get("p1")
        assert (saved["answer"], saved["kind"], saved["lesson"]) == (ODD["rtl"], "text", "L1")
        assert saved["prompt"].startswith("What **do**")
        assert re.match(r"Saved at \d\d:\d\d( UTC)?\.", box.status.value)

    def test_does_the_save_button_save_again(self, journal, jdir):
        box = journal.respond("p1", "Prompt", lesson="L1")
        box.text.value = "first"
        (jdir / "learner.json").unlink()  # the saved copy is gone
        assert journal.get("p1") is None
        box.save_button.click()
        assert journal.get("p1")["answer"] == "first"
        assert box.status.value.startswith("Saved at")

    def test_does_saving_unchanged_text_add_nothing(self, journal, jdir):
        box = journal.respond("p1", "Prompt", lesson="L1")
        box.save_button.click()
        assert box.status.value.startswith("Nothing to save yet") and journal.get("p1") is None
        box.text.value = "same"
        box.save_button.click()
        box.save_button.click()
        assert on_disk(jdir / "learner.json")["history"] == []

    def test_is_invisible_text_no_answer(self, journal, jdir):
        """Zero-width spaces, format characters and blank lines alone are not saved."""
        box = journal.respond("p1", "Prompt", lesson="L1")
        box.text.value = "\u200b\u2060\ufeff\u200d \n\t\u3164"
        assert box.status.value.startswith("Nothing to save yet") and journal.get("p1") is None
        assert not (jdir / "learner.json").exists()
        box.text.value = "\u200bA real answer"
        assert journal.get("p1")["answer"] == "\u200bA real answer"

    def test_does_respond_use_the_lesson_from_start_and_size_for_long_answers(self, journal):
        journal.start("L2")
        short, long = journal.respond("s", "Short"), journal.respond("l", "Long", long=True)
        assert long.text.rows > short.text.rows
        short.text.value = "x"
        assert journal.get("s")["lesson"] == "L2"

    def test_does_the_download_link_hold_the_current_work(self, journal):
        course = journal.download_button()
        lesson = journal.download_button("L1")
        journal.record("L1", "q1", ODD["script"], kind="text")
        journal.record("L2", "q2", "other lesson", kind="text")
        name, page = link_page(course)
        assert name == "my-work-learner-course.html"
        assert Page(page).answers == [ODD["script"], "other lesson"]
        assert "(2 answers, the whole course)" in course.link.value
        name, page = link_page(lesson)
        assert name == "my-work-learner-l1.html" and Page(page).answers == [ODD["script"]]
        assert 'download="my-work-learner-l1.md" href="data:text/markdown' in lesson.link.value

    def test_does_update_pick_up_other_kernels_and_write_a_file(self, journal, jdir):
        box = journal.download_button("L1")
        other = 'journal.record("L1", "x", "from another notebook", kind="text")'
        run_child(f"from helpers import journal; {other}", jdir)
        assert "from another notebook" not in link_page(box)[1]
        box.button.click()
        assert "from another notebook" in link_page(box)[1]
        path = jdir / "my-work-learner-l1.html"
        assert "from another notebook" in path.read_text(encoding="utf-8")
        assert re.match(r"Updated at \d\d:\d\d\. A copy is also saved as <code>", box.status.value)
        assert str(path) in box.status.value

    def test_is_a_copy_inside_the_course_folder_linked_relative(
        self, journal, monkeypatch, tmp_path
    ):
        folder = tmp_path / "course"
        (folder / "notebooks").mkdir(parents=True)
        monkeypatch.setattr(book, "_ROOT", folder)
        monkeypatch.setenv("KURIL_JOURNAL_DIR", str(folder / "my-work"))
        monkeypatch.chdir(folder / "notebooks")
        box = journal.download_button()
        box.button.click()
        assert 'href="../my-work/my-work-learner-course.html"' in box.status.value
        monkeypatch.setenv("KURIL_JOURNAL_DIR", str(folder / ".hidden"))
        box.button.click()
        assert "<a " not in box.status.value  # Jupyter does not serve dot-folders
