"""成语接龙 (idiom chain): the 2D card game on the runtime contract."""
