"""成语论箭 in 3D/VR: lanterns in a night courtyard (panda3d), side-by-side stereo, head or pointer aiming."""
