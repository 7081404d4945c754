"""make bench judges every target of issue 15 and names the scales' databases after BENCH_DATABASE_URL."""

from bench.__main__ import TARGETS, combine, db_name, db_url, targets_table, verdicts

MET = {
    "query_counts_equal": True,
    "scale_ratio_x10_max": 1.2,
    "p95_ms_x10_max": 40.0,
    "load_p95_ms": 300.0,
    "load_floor_ratio": 0.3,
    "load_errors": 0,
    "alerts_queries_x10": 20,
    "alerts_seconds_x10": 1.0,
    "export_peak_mb_x10": 20.0,
    "letter_floor_ratio": 1.3,
    "workers_speedup": 1.8,
}


def test_every_issue_target_is_judged():
    assert {key for key, *_ in TARGETS} == set(MET)
    assert all(ok for *_, ok in verdicts(MET))


def test_a_miss_is_reported_and_a_missing_figure_is_a_miss():
    missed = {key for key, *_, ok in verdicts({**MET, "load_errors": 1, "p95_ms_x10_max": 100.0}) if not ok}
    assert missed == {"load_errors", "p95_ms_x10_max"}
    assert not all(ok for *_, ok in verdicts({}))
    assert any("MANQUÉE" in line and "load_errors" in line for line in targets_table({**MET, "load_errors": 3}, {}))


def test_runs_combine_to_their_median_with_their_spread():
    results, spread = combine([{**MET, "load_p95_ms": v} for v in (300.0, 700.0, 400.0)])
    assert results["load_p95_ms"] == 400.0 and spread["load_p95_ms"] == (300.0, 700.0)
    assert combine([MET, {**MET, "query_counts_equal": False}])[0]["query_counts_equal"] is False


def test_database_name_is_a_prefix(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://u@db:5432/crmr_hb_bench")
    assert db_name("x10") == "crmr_hb_bench_x10"
    assert db_url(db_name("tiny")) == "postgres://u@db:5432/crmr_hb_bench_tiny"
    monkeypatch.delenv("BENCH_DATABASE_URL")
    assert db_name("tiny") == "crmr_bench_tiny"
