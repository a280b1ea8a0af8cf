"""Only changed cells are sent; an unchanged tab sends nothing; shrinking clears the leftovers."""
from app.sheets.grid import Link, RangeWrite
from app.sheets.grid_diff import cell_count, comparable, diff_tab, same_cell, whole_rows_equal


def test_unchanged_grid_sends_nothing():
    grid = [["หัวข้อ", "ค่า"], ["ความพึงพอใจเฉลี่ย (ร้อยละ)", 87.5], ["ผู้ตอบ", 3]]
    assert diff_tab("ภาพรวม", grid, [list(r) for r in grid]) == []


def test_numbers_and_blanks_compare_as_an_officer_sees_them():
    assert same_cell(85, 85.0) and same_cell(None, "") and same_cell(0.1 + 0.2, 0.3)
    assert not same_cell(True, 1) and not same_cell("85", 85) and not same_cell(0, None)


def test_new_tab_is_one_rectangle():
    grid = [["a", "b"], [1, 2], [3, 4]]
    assert diff_tab("t", grid, None) == [RangeWrite("t", 1, 1, [["a", "b"], [1, 2], [3, 4]])]


def test_a_blank_row_is_written_from_its_first_to_its_last_filled_cell():
    """A blank row held ("" or None) takes the target's filled cells only: a link without text is blank too."""
    target = [["h1", "h2", "h3", "h4", "h5"], ["", "a", None, 0, ""], [Link("", "t", 1, 1), "", "b"]]
    existing = [["h1", "h2", "h3", "h4", "h5"], [None, ""], []]
    assert diff_tab("t", target, existing) == [RangeWrite("t", 2, 2, [["a", "", 0], ["", "b", ""]])]


def test_a_blank_row_ending_in_a_link_without_text_and_blanks_is_written_to_its_last_filled_cell():
    """Blanks before a text-less link at the end are trimmed too; a row of nothing but such cells sends nothing."""
    target = [["h1", "h2", "h3", "h4"], ["", "a", None, Link("", "t", 1, 1)], [None, Link("", "t", 1, 1), ""],
              ["b"]]
    assert diff_tab("t", target, [target[0]]) == [RangeWrite("t", 2, 2, [["a"]]), RangeWrite("t", 4, 1, [["b"]])]


def test_changed_cells_only_and_runs_merged_down():
    target = [["h1", "h2", "h3"], [1, "x", 3], [4, "y", 6], [7, 8, 9]]
    existing = [["h1", "h2", "h3"], [1, "a", 3], [4, "b", 6], [7, 8, 9]]
    assert diff_tab("t", target, existing) == [RangeWrite("t", 2, 2, [["x"], ["y"]])]


def test_shorter_target_clears_old_rows_and_cells():
    target = [["h"], ["keep"]]
    existing = [["h", "old"], ["keep"], ["gone", "too"]]
    writes = diff_tab("t", target, existing)
    assert writes == [RangeWrite("t", 1, 2, [[""]]), RangeWrite("t", 3, 1, [["", ""]])]
    assert cell_count(writes) == 3


def test_formula_like_text_is_kept_as_text_value():
    writes = diff_tab("t", [["=HYPERLINK(\"x\")"]], [])
    assert writes[0].values == [["=HYPERLINK(\"x\")"]]


def test_blanks_and_trailing_blanks_google_trims_are_no_change_but_true_is_not_one():
    target = [["h1", "h2", "h3"], ["a", "", 3, "", ""], [True, "x"], [1, "x"]]
    read_back = [["h1", "h2", "h3"], ["a", None, 3], [1, "x"], [True, "x"]]  # as Google answers: trimmed, None
    assert diff_tab("t", target, read_back) == [RangeWrite("t", 3, 1, [[True], [1]])]
    assert comparable(["a", "", None, 85.0, ""]) == comparable(["a", None, "", 85])
    assert whole_rows_equal(["a", "", 85.0, ""], ["a", None, 85]) and not whole_rows_equal([True], [1])


def test_whole_rows_are_equal_whichever_side_holds_the_blanks():
    """whole_rows_equal normalises the second row only when the first, normalised, differs from it as given: the
    answer must not depend on which side holds "" or trailing blanks, nor miss a boolean on either side."""
    rows = [["a", 1, None], ["a", 1, ""], ["a", 1], ["a", 1.0, None, ""], ["a", True], ["a", "", 1], ["a", None, 1],
            [None, None], [], ["", ""], [True, None], [1, ""], ["a", None, True], ["a", None, 1.0]]
    for a in rows:
        for b in rows:
            ca, cb = comparable(a), comparable(b)
            expected = ca == cb and bool not in map(type, ca) and bool not in map(type, cb)
            assert whole_rows_equal(a, b) is expected, (a, b)


def test_a_row_with_links_equals_its_read_back_as_a_whole():
    """A link reads back as its text: the problems tab's rows are then equal as whole rows, not cell by cell."""
    link = Link("ผู้สมัคร!H17", "ผู้สมัคร", 17, 8)
    assert whole_rows_equal(["ผู้สมัคร", 17, link, ""], ["ผู้สมัคร", 17, "ผู้สมัคร!H17"])
    assert not whole_rows_equal(["ผู้สมัคร", 17, link], ["ผู้สมัคร", 17, "ผู้สมัคร!H18"])
    assert not whole_rows_equal([True, link], [1, "ผู้สมัคร!H17"])
    assert diff_tab("t", [["h"], [link]], [["h"], ["ผู้สมัคร!H17"]]) == []
