"""The Data Docs views: one Jinja environment per view class, pages rendered as GX renders them.

Great Expectations is imported where it is used: its import takes seconds, which every
pytest-xdist worker would pay to collect this module.
"""

import re


def test_views_of_a_class_share_its_first_environment() -> None:
    from validation.docs_views import IndexPageView, PageView

    first, second, index = PageView(), PageView(), IndexPageView()

    assert second.env is first.env
    assert index.env is not first.env  # another class: its own
    assert IndexPageView().env is index.env


def test_a_suite_page_holds_what_gx_own_view_renders() -> None:
    import great_expectations as gx
    from great_expectations import expectations as gxe
    from great_expectations.render.renderer import ExpectationSuitePageRenderer
    from great_expectations.render.view import DefaultJinjaPageView

    from validation.docs_views import PageView

    suite = gx.ExpectationSuite(
        "curated_suite.sales_fact",
        expectations=[gxe.ExpectColumnMaxToBeBetween(column="orphan_product_key", max_value=0)],
    )
    views = (PageView(), PageView(), DefaultJinjaPageView())

    # a document of its own per view: rendering changes it
    pages = [view.render(ExpectationSuitePageRenderer().render(suite)) for view in views]

    for page in pages:
        assert "curated_suite.sales_fact" in page
        assert "orphan_product_key" in page
    # the same page, but for the element ids and the time of rendering
    assert len({re.sub(r"[0-9a-f]{8,}|\d", "", page) for page in pages}) == 1
