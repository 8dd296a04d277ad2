from tests.web.conftest import client_for  # noqa: F401 - the signed-in web client fixture
