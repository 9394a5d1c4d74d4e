"""体感: a webcam follows the visitor's body and turns it into the runtime's usual input events.

Pure parts (no cv2/mediapipe/pygame): `body` (landmark frames), `filters` (One Euro), `player` (who plays),
`gestures` (aim, bow, dwell, swipe, hands up → InputEvents). Edges: `tracker` (the camera and the pose model,
in its own process; frames never leave it), `latest` (the newest camera frame and the newest landmarks, never a
queue), `receiver` (the kiosk's side), `overlay` (what is drawn).
"""
