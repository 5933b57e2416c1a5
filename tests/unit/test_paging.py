from fdac.paging import ListPage


def test_a_list_pages_like_the_database_pages():
    page = ListPage.of(list(range(60)), "3", 25)
    assert (page.page, page.pages, list(page.items)) == (3, 3, list(range(50, 60)))
    assert page.has_prev and not page.has_next
    assert list(ListPage.of(list(range(250)), "5", 10).iter_pages()) == [
        1,
        None,
        4,
        5,
        6,
        7,
        None,
        25,
    ]


def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page():
    assert ListPage.of([1, 2, 3], "99", 2).page == 2
    assert ListPage.of([1, 2, 3], "x", 2).page == 1
    assert ListPage.of([], None, 2).pages == 1
