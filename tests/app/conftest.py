"""AppTest set-up shared by every app test: see tests/app/helpers.py, whose import
makes AppTest treat the app like the real server does after st.navigation has run."""

import tests.app.helpers  # noqa: F401
