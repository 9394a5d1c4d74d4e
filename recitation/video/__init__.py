"""The family's video (issue #18): a KTV-style portrait MP4 of a reading — the poem's karaoke frames timed from
this recording, the voice loudness-normalised with the booth's music ducked under it, encoded with PyAV.

timeline (pure): which character is highlighted when; sound (pure numpy): loudness, reverb, ducking, limiting;
frames (pygame): the frame renderer reusing the booth's karaoke drawing; encode (PyAV): the MP4; make: the whole
job from a saved take, as the CLI and the booth's background process run it.
"""
