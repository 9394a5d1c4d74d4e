"""The recitation booth experience: picker, consent, karaoke, countdown, recording with a live meter, scores."""
