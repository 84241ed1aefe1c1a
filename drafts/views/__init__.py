"""Views of the drafts app, by area: document, sections, editor, comments, snapshots."""
