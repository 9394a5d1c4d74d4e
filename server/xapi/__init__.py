"""The xAPI resources (1.0.3 and 2.0.0) served under /xapi/: statements, documents, activities, agents, about."""
