"""Pure idiom logic shared by the games: records, dictionary, rounds, chain moves, scoring (no pygame)."""
