"""The shared progress bar."""

import io

from masthead.core.progress import ProgressBar, duration


def test_a_log_gets_one_line_per_tenth_and_the_last_says_how_long_it_took():
    stream = io.StringIO()
    bar = ProgressBar(stream, extra=lambda: "kept 3")
    bar.start("pictures", 50)
    for done in range(1, 51):
        bar.update(done)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("  pictures   [") and "1/50  kept 3" in lines[0]
    assert "left" in lines[0] and "took" in lines[-1] and "50/50" in lines[-1]


def test_callback_restarts_the_bar_for_each_phase_and_disabled_writes_nothing():
    stream = io.StringIO()
    bar = ProgressBar(stream)
    progress = bar.callback("related")
    for total in (4, 6):  # reading, then scoring: two runs of the same callback
        for done in range(1, total + 1):
            progress(done, total)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and "4/4" in lines[3] and "took" in lines[3]
    assert "1/6" in lines[4] and "6/6" in lines[-1]
    quiet = io.StringIO()
    off = ProgressBar(quiet, enabled=False)
    off.start("x", 3)
    off.update(3)
    assert quiet.getvalue() == ""


def test_duration():
    assert duration(59.6) == "1:00" and duration(3725) == "1:02:05"
