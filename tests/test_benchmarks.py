"""The sync benchmark at a small size: it keeps working, and the request budget it measures holds."""
from benchmarks.sync_bench import bench


def test_small_benchmark_stays_within_three_requests_and_writes_nothing_unchanged(fake_google, tmp_path):
    first, unchanged = bench(fake_google, 30, tmp_path)
    # + 1 on the first run: the notes of the cells its problems point at are read before the notes go on them
    assert sum(first.sheets.values()) <= 3 + 1 and first.counts["cells_written"] > 0
    assert sum(unchanged.sheets.values()) <= 3 and unchanged.counts["cells_written"] == 0
    assert unchanged.counts["mails_sent"] == 0
    assert "values.batchUpdate" not in unchanged.sheets and "batchUpdate" not in unchanged.sheets


def test_an_unchanged_run_captured_replays_to_the_same_outcome(tmp_path, capsys):
    """benchmarks.profile_unchanged captures what an unchanged run read; replay_unchanged runs the engine on it
    again (how the performance work checks that outputs stay identical)."""
    import pickle

    from app.demo_data import assessment_workbook
    from app.wiring import bootstrap, create_workbook_file
    from benchmarks.floor_bench import _settings
    from benchmarks.profile_unchanged import _capture
    from benchmarks.replay_unchanged import _compare, replay

    path = tmp_path / "a.xlsx"
    create_workbook_file(path, assessment_workbook(applicants=30, satisfaction_responses=30))
    services = bootstrap(_settings(tmp_path, "assessment", None))
    services.run("assessment", trigger="benchmark", path=path)
    _capture(services, "assessment", path, tmp_path / "capture.pkl")
    taken = pickle.loads((tmp_path / "capture.pkl").read_bytes())
    outcome, written = replay(taken, services)
    again, _ = replay(taken, services)
    assert outcome.status == "ok" and all(not writes for writes, _styles, _notes in written)  # unchanged: no cell
    _compare({"run": {"problems": outcome.problems, "summary": outcome.summary}},
             {"run": {"problems": again.problems, "summary": again.summary}})
    assert "0 differ" in capsys.readouterr().out
