"""The sync benchmark at a small size: it keeps working, and the request budget it measures holds."""
from benchmarks.sync_bench import bench


def test_small_benchmark_stays_within_three_requests_and_writes_nothing_unchanged(fake_google, tmp_path):
    first, unchanged = bench(fake_google, 30, tmp_path)
    # + 1 on the first run: the notes of the cells its problems point at are read before the notes go on them
    assert sum(first.sheets.values()) <= 3 + 1 and first.counts["cells_written"] > 0
    assert sum(unchanged.sheets.values()) <= 3 and unchanged.counts["cells_written"] == 0
    assert unchanged.counts["mails_sent"] == 0
    assert "values.batchUpdate" not in unchanged.sheets and "batchUpdate" not in unchanged.sheets
