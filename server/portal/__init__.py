"""The curator portal: accounts and audit, the package store with versions and publications, kiosk sync API,
and families' share pages. Blueprints: portal_bp (/portal), share_bp (/s)."""
