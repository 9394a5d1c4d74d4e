"""The smart wall (智慧墙): rollup tables kept by a job, wall pages and endpoints, staff reports, recommendations."""
