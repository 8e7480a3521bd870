"""The desk console links the visitors' privacy notice (decision 018), which opens for anyone."""

from __future__ import annotations


def test_the_console_links_the_notice_of_its_office(staff, app) -> None:
    me = staff("op", ["operator"])
    me.open_desk("1")
    page = me.client.get("/desk/T1/1").get_data(as_text=True)
    assert 'id="privacy-link"' in page and "/privacy?office=T1" in page
    public = app.test_client().get("/privacy?office=T1&lang=uk")  # no session: the notice is public
    assert public.status_code == 200 and "Хто обробляє дані" in public.get_data(as_text=True)
