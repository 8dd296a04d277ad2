from tests.api.conftest import api  # noqa: F401 - the API client fixture
from tests.web.conftest import client_for  # noqa: F401 - signed-in web client fixture
