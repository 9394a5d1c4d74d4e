"""Pure analytics over xAPI statements: wall figures, rollups and recommendations (no Flask, no database).

The server feeds these from its tables; benches and tests feed them generated data.
"""
