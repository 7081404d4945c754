"""Open a page from the header menu, whose entries sit in DSFR dropdown menus (core/navigation.py)."""


def go_to(page, label: str) -> None:
    """Click the menu entry ``label``, opening its dropdown first when it is in one."""
    nav = page.get_by_role("navigation", name="Menu principal")
    link = nav.get_by_role("link", name=label, exact=True, include_hidden=True)
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'fr-nav__item')]/button").click()
    link.click()
