"""When each character of a poem is due: from a curator's LRC file, or from a pace model that follows the reader."""
from recitation.timing.lrc import LrcError, Timeline, parse_lrc, timeline_for_text
from recitation.timing.pace import PaceModel

__all__ = ["LrcError", "PaceModel", "Timeline", "parse_lrc", "timeline_for_text"]
