"""Audio at the booth's edge: devices (PyAudio or WAV files), crash-safe recording and saved takes."""
