"""Scripts-side builders of the bundled exhibit content (models, scenes); not used at run time."""
