"""成语论箭 (idiom lantern archery): the 2D game on the runtime contract."""
