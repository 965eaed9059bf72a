"""Pages that compose several apps: each calls the apps' own selectors; no app's selector reaches upward."""
