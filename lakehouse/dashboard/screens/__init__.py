"""One module per dashboard page; each ``render(query, filters)`` draws its page.

Not called ``pages/``: Streamlit would list such a folder beside the app as pages of its own.
"""
