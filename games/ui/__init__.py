"""Small pygame helpers shared by the idiom games: text, buttons, synthesised sounds."""
