"""``forcepack demo`` options: bad values give one line, a non-zero exit and no traceback;
the scale path's options are checked in the library (its runs: test_scale_forces.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from forcepack.demo.scale import ScaleOptions
from forcepack.errors import InputError


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``forcepack`` through its main() wrapper; return (exit code, stderr)."""
    from forcepack.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    return int(exit_info.value.code or 0), capsys.readouterr().err


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "forcepack.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["demo", "--start", "2019-13"], '--start "2019-13" is not a month'),
        (["demo", "--end", "December"], '--end "December" is not a month'),
        (["demo", "--start", "2019-06", "--end", "2019-01"], "is after --end"),
        (["demo", "--forces", "-3"], "--forces -3 is not allowed"),
        (["demo", "--seed", "-1"], "--seed -1 is negative"),
        (["demo", "scale", "--forces", "0"], "--forces 0 is not allowed"),
        (["demo", "scale", "--years", "0"], "--years 0 is not allowed"),
    ],
)
def test_bad_options_one_line_no_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, err = run_in_process(capsys, *args)
    assert code != 0
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert needle in lines[0]


def test_unwritable_output_folder_in_a_real_process(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("demo", "--out", str(blocker / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is not writable" in result.stderr


def test_scale_options_validate_in_the_library() -> None:
    with pytest.raises(InputError, match="--forces 100"):
        ScaleOptions.make(forces=100)
    opts = ScaleOptions.make(forces=2, years=2, end="2019-12")
    assert (opts.start, opts.end) == ("2018-01", "2019-12")
