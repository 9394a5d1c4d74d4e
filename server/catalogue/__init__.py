"""The library catalogue bridge (issue #19): records with holdings, curator-readable link rules, 去书架找一找 cards.

model.py and rules.py are pure (no Flask, no database); marc.py reads MARC21 / MARCXML / UNIMARC / CSV through
pymarc; store.py keeps records and rules in the service's database; routes.py serves cards to kiosks.
"""
