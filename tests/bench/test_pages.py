"""The benchmark measures every page it names: none silently skipped because its URL name changed."""

from bench.pages import LOAD_PAGES, PAGES, load_pages, pages, url_of


def test_every_benchmarked_page_resolves():
    for label, name, _username in PAGES + LOAD_PAGES:
        assert url_of(name), label
    assert len(pages()) == len(PAGES) and len(load_pages()) == len(LOAD_PAGES)


def test_benchmark_covers_lists_inboxes_and_dashboards_of_every_procedure():
    names = {name for _label, name, _user in PAGES}
    for expected in (
        "labellisation:inbox",
        "crmr_procedures:succession_list",
        "crmr_procedures:ccmr_request_list",
        "reporting:dashboard",
        "letters:letter_list",
        "activity_reports:report_list",
        "centres:crmr_list",
        "centres:person_list",
        "centres:crmr_list?date=2030-07-01",
        "centres:network?section=crmr&date=2030-07-01",
    ):
        assert expected in names


def test_the_letters_list_is_measured_on_its_oldest_page_by_cursor():
    """The letters list pages by cursor (issue 15, item 5): ``page=N`` would measure its first page again."""
    from bench.pages import PAGES

    last = [url for label, url, _user in PAGES if label.startswith("courriers") and label.endswith("dernière page")]
    assert last and all("avant=1900-01-01.0.0" in url and "page=" not in url for url in last)
